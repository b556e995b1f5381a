"""The loader: every problem of a broken content directory is reported with file, item and field;
versions follow the content; the cache follows the files."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

from trainer.content import ContentError, check_content, format_problems, load_content

REAL_CONTENT = Path(__file__).resolve().parent.parent / "content"

SOURCES = """\
kind: sources
documents:
  - title: 天然气加气站客户服务标准
  - title: 加气站服务管理规范
"""
RULE_SETS = """\
kind: rule_sets
topics: {commitments: 服务承诺与时限, payment: 收款作业时限}
rule_sets:
  - {id: alpha, title: 甲公司, topic: commitments, source: policy}
  - {id: beta, title: 乙公司, topic: commitments, source: policy}
  - {id: fast-pay, title: 收款1分钟, topic: payment, source: policy}
"""
FORBIDDEN = """\
kind: forbidden
source: policy
items:
  - {id: jy-jishenme, text: 急什么}
  - {id: jy-buzhidao, text: 不知道, variants: [不晓得]}
"""
MODULE = """\
kind: module
id: demo
order: 1
title: 演示模块
summary: 测试用
posts: [加气员]
required: true
questions:
  - id: dm-q1
    type: single
    prompt: 胸牌戴在哪里？
    options: [左胸前, 右胸前, 帽子上]
    answer: 左胸前
    explanation: 左胸前佩戴胸牌。
    source: {doc: 天然气加气站客户服务标准, clause: 一、员工形象 1}
phrases:
  - id: dm-greet
    scene: 进站迎客
    situation: 车进站了。
    expected: ["您好！欢迎光临{station}加气站。"]
    key_points: [[您好, 你好], [欢迎]]
    explanation: 先问候。
    source: {doc: 天然气加气站客户服务标准, clause: 四、使用服务用语 1}
  - id: dm-change
    scene: 找零
    situation: 应找零{amount}元。
    expected: ["找您{amount}元，请拿好。"]
    placeholders:
      amount: {kind: amount, min: 1, max: 100, step: 0.5, unit: 元}
    explanation: 唱付。
    source: {doc: 天然气加气站客户服务标准, clause: 四、使用服务用语 8}
"""


LANGUAGE = (Path(__file__).parents[1] / "content" / "language.yaml").read_text(encoding="utf-8")
REMARKS = (Path(__file__).parents[1] / "content" / "remarks.yaml").read_text(encoding="utf-8")


def write_content(directory: Path, **overrides: str | None) -> Path:
    """A small valid content directory; `overrides` replace (or with None remove) files."""
    files = {"sources.yaml": SOURCES, "rule_sets.yaml": RULE_SETS,
             "forbidden.yaml": FORBIDDEN, "demo.yaml": MODULE, "language.yaml": LANGUAGE,
             "remarks.yaml": REMARKS}
    files.update(overrides)
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        if text is not None:
            (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def problems_of(directory: Path) -> list[tuple[str, str, str, str]]:
    return [(p.file, p.item_id, p.field, p.message) for p in check_content(directory)]


def find(problems, file, item_id, field, words=""):
    matches = [p for p in problems if p[:3] == (file, item_id, field) and words in p[3]]
    assert matches, f"no problem {file} [{item_id}] {field} ~{words!r} in {problems}"
    return matches[0]


def test_minimal_directory_loads(tmp_path):
    library = load_content(write_content(tmp_path))
    assert [m.id for m in library.modules] == ["demo"]
    assert library.item("dm-greet").spec.key_points == (("您好", "你好"), ("欢迎",))
    assert library.module("demo").questions[0].answers == ("左胸前",)


def test_broken_yaml_reports_file_and_line(tmp_path):
    broken = MODULE.replace("    prompt: 胸牌戴在哪里？", "    prompt: [胸牌戴在哪里？")
    problems = check_content(write_content(tmp_path, **{"demo.yaml": broken}))
    assert len(problems) >= 1
    problem = next(p for p in problems if p.file == "demo.yaml")
    assert "YAML 格式错误" in problem.message
    assert problem.line is not None and 11 <= problem.line <= 13
    assert "demo.yaml 第" in format_problems(problems)


def test_missing_field_names_item_and_field(tmp_path):
    broken = MODULE.replace("    explanation: 左胸前佩戴胸牌。\n", "")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-q1", "explanation", "缺少必填字段")


def test_unknown_question_type(tmp_path):
    broken = MODULE.replace("    type: single", "    type: essay")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-q1", "type", "essay")


def test_misspelt_field_is_reported(tmp_path):
    broken = MODULE.replace("    answer: 左胸前", "    answr: 左胸前")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-q1", "answr", "未知字段")
    find(problems, "demo.yaml", "dm-q1", "answer", "缺少必填字段")


def test_duplicate_id_across_files(tmp_path):
    other = MODULE.replace("id: demo", "id: demo2").replace("dm-q1", "dm-q9").replace(
        "dm-change", "dm-change2")
    problems = problems_of(write_content(tmp_path, **{"other.yaml": other}))
    message = find(problems, "other.yaml", "dm-greet", "id", "重复")[3]
    assert "demo.yaml" in message


def test_duplicate_yaml_key(tmp_path):
    broken = MODULE.replace("    answer: 左胸前", "    answer: 左胸前\n    answer: 右胸前")
    problems = check_content(write_content(tmp_path, **{"demo.yaml": broken}))
    duplicate = next(p for p in problems if p.field == "answer" and "重复" in p.message)
    assert duplicate.file == "demo.yaml" and duplicate.line == 14


def test_unknown_placeholder(tmp_path):
    broken = MODULE.replace("请拿好。", "请拿好，{driver}。")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-change", "expected", "{driver}")


def test_placeholder_spec_must_be_usable(tmp_path):
    broken = MODULE.replace("{kind: amount, min: 1, max: 100, step: 0.5, unit: 元}",
                            "{kind: amount, unit: 元}")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-change", "placeholders.amount", "min、max、step")


def test_bad_source(tmp_path):
    broken = MODULE.replace("{doc: 天然气加气站客户服务标准, clause: 一、员工形象 1}",
                            "{doc: 某某公司服务手册, clause: 1}")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-q1", "source.doc", "某某公司服务手册")


def test_source_without_clause(tmp_path):
    broken = MODULE.replace("{doc: 天然气加气站客户服务标准, clause: 一、员工形象 1}",
                            "{doc: 天然气加气站客户服务标准}")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-q1", "source.clause", "缺少必填字段")


def test_unknown_rule_set(tmp_path):
    broken = MODULE.replace("    answer: 左胸前", "    answer: 左胸前\n    rule_set: gamma")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-q1", "rule_set", "gamma")


def test_answer_must_be_an_option(tmp_path):
    broken = MODULE.replace("    answer: 左胸前", "    answer: 左胸口")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-q1", "answer", "不在选项中")


def test_approved_phrasing_must_carry_every_key_point(tmp_path):
    broken = MODULE.replace('["您好！欢迎光临{station}加气站。"]',
                            '["您好！欢迎光临{station}加气站。", "欢迎来到{station}加气站。"]')
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-greet", "expected[1]", "您好/你好")


def test_forbidden_phrase_inside_an_approved_phrasing(tmp_path):
    broken = MODULE.replace("找您{amount}元，请拿好。", "急什么，找您{amount}元，请拿好。")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-change", "expected", "急什么")


def test_dialogue_reference_must_exist(tmp_path):
    broken = MODULE + textwrap.dedent("""\
        dialogues:
          - id: dm-dlg
            title: 一次服务
            situation: 车进站。
            turns:
              - {phrase: dm-greet}
              - {customer: 好的。, phrase: dm-missing}
            explanation: 连贯服务。
            source: {doc: 天然气加气站客户服务标准, clause: 四}
        """)
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": broken}))
    find(problems, "demo.yaml", "dm-dlg", "turns[1].phrase", "dm-missing")


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    broken = (MODULE.replace("    type: single", "    type: essay")
              .replace("请拿好。", "请拿好，{driver}。")
              .replace("    situation: 车进站了。\n", ""))
    bad_forbidden = FORBIDDEN.replace("  - {id: jy-jishenme, text: 急什么}\n",
                                      "  - {id: JY_1, text: 急什么}\n")
    directory = write_content(tmp_path, **{"demo.yaml": broken, "forbidden.yaml": bad_forbidden,
                                           "sources.yaml": None})
    with pytest.raises(ContentError) as raised:
        load_content(directory)
    problems = [(p.file, p.item_id, p.field) for p in raised.value.problems]
    assert ("demo.yaml", "dm-q1", "type") in problems
    assert ("demo.yaml", "dm-change", "expected") in problems
    assert ("demo.yaml", "dm-greet", "situation") in problems
    assert ("forbidden.yaml", "JY_1", "id") in problems
    assert ("sources.yaml", "", "kind") in problems
    message = str(raised.value)
    assert message.startswith("培训内容有 5 个问题")
    assert "demo.yaml" in message and "[dm-change] expected" in message


def test_rule_set_combinations(tmp_path):
    combined = RULE_SETS + (
        "  - {id: alpha-fast, title: 甲公司+收款1分钟, source: policy, includes: [alpha, fast-pay]}\n"
        "  - {id: alpha-beta, title: 冲突, source: policy, includes: [alpha, beta]}\n")
    problems = problems_of(write_content(tmp_path, **{"rule_sets.yaml": combined}))
    assert [p[1] for p in problems] == ["alpha-beta"]
    find(problems, "rule_sets.yaml", "alpha-beta", "includes", "只能选一个")


# --- versions and the cache ----------------------------------------------------------------


def copy_real_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    stat = path.stat()
    # A later mtime even on file systems with coarse timestamps.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


def versions(directory: Path) -> dict[str, str]:
    return {m.id: m.version for m in load_content(directory).modules}


def test_version_ignores_layout_and_comments(tmp_path):
    directory = copy_real_content(tmp_path)
    before = versions(directory)
    edit(directory / "01-image.yaml", "kind: module\n", "# 审阅意见:无\nkind:   module\n\n")
    assert versions(directory) == before


def test_version_changes_with_content_and_only_for_that_module(tmp_path):
    directory = copy_real_content(tmp_path)
    before = versions(directory)
    edit(directory / "01-image.yaml", "answer: 左胸前\n", "answer: 左胸前\n    status: draft\n")
    after = versions(directory)
    assert after["image"] != before["image"]
    assert {k: v for k, v in after.items() if k != "image"} == {
        k: v for k, v in before.items() if k != "image"}


def test_version_follows_phrase_items_borrowed_from_another_module(tmp_path):
    directory = copy_real_content(tmp_path)
    library = load_content(directory)
    borrowed = {turn.phrase_id for d in library.module("safety").dialogues for turn in d.turns}
    assert "sl-thanks-coop" in borrowed  # the smoking dialogue ends with module 2's phrase
    before = versions(directory)
    edit(directory / "02-phrases.yaml", 'expected: ["谢谢您的合作！"]',
         'expected: ["谢谢您的合作！", "谢谢您的配合！"]')
    after = versions(directory)
    assert after["phrases"] != before["phrases"]
    assert after["safety"] != before["safety"]
    assert after["image"] == before["image"]


def test_cache_returns_the_same_library_until_a_file_changes(tmp_path):
    directory = copy_real_content(tmp_path)
    first = load_content(directory)
    assert load_content(directory) is first
    edit(directory / "08-site.yaml", "title: 站容站貌与标识", "title: 站容站貌和标识")
    second = load_content(directory)
    assert second is not first
    assert second.module("site").title == "站容站貌和标识"
    (directory / "08-site.yaml").unlink()
    assert [m.id for m in load_content(directory).modules if m.id == "site"] == []


def test_invalid_content_is_not_cached(tmp_path):
    directory = write_content(tmp_path)
    load_content(directory)
    edit(directory / "demo.yaml", "    type: single", "    type: essay")
    with pytest.raises(ContentError):
        load_content(directory)
    edit(directory / "demo.yaml", "    type: essay", "    type: single")
    assert load_content(directory).module("demo").questions[0].type == "single"


# --- the scoring engine's language rules as content (issue 13) -------------------------------

def test_a_broken_family_pattern_or_example_is_reported(tmp_path):
    families = FORBIDDEN + textwrap.dedent("""
        families:
          - id: jyf-broken
            label: 坏模式
            patterns: ["(急|喊"]
          - id: jyf-misses
            label: 例句没认出
            patterns: ["急什么"]
            examples: [喊什么喊]
            not_examples: [急什么]
        """)
    problems = problems_of(write_content(tmp_path, **{"forbidden.yaml": families}))
    find(problems, "forbidden.yaml", "jyf-broken", "patterns", "正则表达式有误")
    find(problems, "forbidden.yaml", "jyf-misses", "examples", "喊什么喊")
    find(problems, "forbidden.yaml", "jyf-misses", "not_examples", "急什么")


def test_a_language_file_without_a_list_is_reported(tmp_path):
    broken = LANGUAGE.replace("  waivers:", "  waiverz:")
    problems = problems_of(write_content(tmp_path, **{"language.yaml": broken}))
    find(problems, "language.yaml", "", "negation.waivers", "词语列表")


def test_too_few_remark_examples_are_reported(tmp_path):
    thin = "kind: remark_examples\nsource: policy\nthreshold: 0\nrude: [别催]\nkind_remarks: [好的]\n"
    problems = problems_of(write_content(tmp_path, **{"remarks.yaml": thin}))
    find(problems, "remarks.yaml", "", "", "至少 20 句")


def test_a_time_limit_must_be_readable_and_be_what_the_phrasing_promises(tmp_path):
    module = MODULE + (
        "  - id: dm-reply\n"
        "    scene: 答复\n"
        "    situation: 顾客来电投诉。\n"
        "    expected: [\"我们会在48小时内给您答复。\"]\n"
        "    time_limits: [48天内]\n"
        "    explanation: 承诺时限。\n"
        "    source: {doc: 天然气加气站客户服务标准, clause: 四、使用服务用语 8}\n"
        "  - id: dm-reply-two\n"
        "    scene: 答复\n"
        "    situation: 顾客来电投诉。\n"
        "    expected: [\"我们会尽快给您答复。\"]\n"
        "    time_limits: [很快]\n"
        "    explanation: 承诺时限。\n"
        "    source: {doc: 天然气加气站客户服务标准, clause: 四、使用服务用语 8}\n")
    problems = problems_of(write_content(tmp_path, **{"demo.yaml": module}))
    find(problems, "demo.yaml", "dm-reply", "time_limits", "说的不是时限 48天内")
    find(problems, "demo.yaml", "dm-reply-two", "time_limits", "数字+单位+内")
