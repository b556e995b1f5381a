"""Word lists the engine's text handling relies on: fillers, courtesy words, words that carry
no key point, words kept whole when segmenting, and harmless uses of listed forbidden phrases.

These are the mechanics of reading service Mandarin. What a station head or trainer would
change - negation words, synonyms, remark words, 忌语 families, amount roles, time units - is
content (content/language.yaml, content/forbidden.yaml, content/remarks.yaml), not code.

The 您/你 rule (decided here, applied in `phonetic.py` and `forbidden.py`):
- In an approved phrasing, 你 for 您 costs nothing. Recognisers hear nin and ni as the same
  syllable and often write 你好 for 您好, and a trainee must not lose pay to that. 你 alone
  does not count as a courtesy word, though: 请, 您, 谢谢 ... do.
- In a forbidden phrase, 您 for 你 is still forbidden: 您问我我问谁 is as rude as 你问我我问谁.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Fillers dropped anywhere: they never carry meaning in a service phrase.
FILLER_CHARS = frozenset("嗯呃唔啊")
# Fillers dropped only at the start of a clause, where they are hesitation, not content.
CLAUSE_FILLERS = ("那个", "哦", "诶", "欸", "唉", "就是说")
# Line noise at the very start of a phone call.
PHONE_OPENERS = ("喂",)

# Courtesy words. They never become key points of their own (unless a phrase is nothing but
# courtesy, like 对不起,打扰您了), and an approved phrase that has one needs one in the answer.
# 拿好 is here because the seeds list 请拿好 among the general courtesy phrases.
COURTESY_WORDS = frozenset({
    "请", "请问", "请您", "您", "您好", "你好", "谢谢", "谢谢您", "多谢", "谢谢合作", "合作",
    "对不起", "抱歉", "很抱歉", "非常抱歉", "不好意思", "麻烦", "麻烦您", "劳驾", "光临", "打扰",
    "辛苦", "辛苦了", "拿好", "收好",
})
# What counts as courtesy in an answer (你 is deliberately absent, see the module docstring).
POLITE_MARKERS = (
    "请", "您", "谢谢", "多谢", "对不起", "抱歉", "不好意思", "麻烦", "劳驾", "欢迎", "光临",
    "再见", "走好", "慢走", "辛苦", "打扰", "你好",  # 你好 greets (content/README.md)
)
# Too general to be the point of a courtesy-only phrase: the courtesy check covers them.
PLAIN_COURTESY = frozenset({"请", "您", "请您", "麻烦您", "谢谢您"})
# Forms of address: polite, but not a point of the message.
ADDRESS_WORDS = frozenset({"师傅", "师父", "先生", "女士", "小姐", "同志", "老师", "大哥", "大姐"})

# Words that say little on their own: pronouns, particles, light verbs, degree words.
FUNCTION_WORDS = frozenset({
    "的", "地", "得", "了", "吗", "呢", "吧", "呀", "啊", "么", "嘛", "哦", "啦", "是", "有", "在",
    "这", "那", "这里", "那里", "这儿", "那儿", "这个", "那个", "我", "我们", "你", "你们", "他",
    "她", "它", "咱", "咱们", "给", "把", "被", "让", "向", "往", "到", "去", "来", "就", "都", "也",
    "还", "又", "再", "很", "太", "最", "更", "着", "过", "一下", "一点", "一些", "些", "下", "上",
    "后", "前", "要", "需要", "可以", "能", "会", "应", "应该", "和", "与", "及", "或", "或者",
    "还是", "如果", "因为", "所以", "但是", "就是", "什么", "怎么", "多少", "用", "稍", "为",
    "从", "对", "好", "里", "中", "时", "等", "根据", "出现", "进行", "一", "个", "别的", "不",
    "其他", "其它", "内", "外", "每",
})
# Words so common in this domain that saying them proves nothing about the scene.
GENERIC_WORDS = frozenset({
    "加气站", "加气", "站", "气", "规定", "安全", "车辆", "车", "事", "事情", "东西", "服务",
    "顾客", "客户", "用户", "公司",
})
# Compounds kept whole when cutting a phrase into words (a general segmenter splits 加气站
# into 加气/站 and merges 欢迎光临, which would blur the key points).
DOMAIN_WORDS = frozenset({
    "加气站", "加气", "站外", "站内", "看表", "走好", "慢走", "拿好", "收好", "找谁", "打手机",
    "打电话", "接电话", "接听", "不多", "不足", "熄火", "核对", "久等", "稍后", "稍候", "稍等",
    "充值", "余额", "现金", "刷卡", "手刹", "引擎盖", "后备箱", "向前", "向后", "别的",
    "还有", "帮忙", "欢迎", "光临", "再次", "合作", "故障", "对不起", "不好意思", "打扰", "严禁",
    "禁止", "马上", "及时", "再见", "您好", "请问", "拉好", "关好", "打开", "谢谢合作", "请勿",
    "吸烟", "抽烟", "气价", "加气机", "加多少", "加满",
})

# Harmless uses of a forbidden phrase: it is followed (no pause between) or preceded by one of
# these words. 不知道您还需要什么帮助 asks politely; 请您自己看一下表 is a polite request.
HARMLESS_AFTER: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "不知道": ("您", "是否", "能否", "可否", "有没有", "可不可以", "能不能", "方不方便", "是不是",
             "怎么称呼", "的话", "的地方", "的可以"),
    "没零钱": ("的话",),
})
# The subject 您 or a condition makes it about the customer, not a refusal by the attendant.
HARMLESS_BEFORE: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "不知道": ("如果", "要是", "假如", "若", "万一", "如有", "有", "您"),
    "没零钱": ("如果", "要是", "假如", "您"),
    "你自己看": ("请",),
})
# Phrases that are harmless inside a condition ending in 的话 (不知道怎么充值的话).
HARMLESS_IN_CONDITION = frozenset({"不知道", "没零钱"})
# Particles that may follow a short forbidden phrase inside the same word (快点儿).
TRAILING_PARTICLES = frozenset("儿吧啊呀了呢嘛啦哈")
# Particles that may end a clause after its last word (不用了, 就这样吧, ……的话呢).
CLAUSE_PARTICLES = "了吧啦的呀啊哈嘛呢哦"
