"""Grader calibration: reading a marked CSV and comparing the grader with a person's marks."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from trainer.content import calibrate, fill_placeholders, load_content, parse_marked_answers

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def library():
    return load_content(ROOT / "content")


def test_utf8_with_bom_header_and_both_value_styles():
    data = ("\ufeffanswer,label,values\n"
            "找您35元，请拿好。,通过,amount=35\n"
            '找您三十五块钱，您拿好,pass,"{""amount"": ""35""}"\n'
            "\n"
            "您好，欢迎光临,不合格,station=昆仑;amount=2\n").encode("utf-8")
    rows, problems = parse_marked_answers(data)
    assert problems == []
    assert [(r.row, r.passed) for r in rows] == [(2, True), (3, True), (5, False)]
    assert rows[1].values == {"amount": "35"}
    assert rows[2].values == {"station": "昆仑", "amount": "2"}
    assert rows[0].answer == "找您35元，请拿好。"


def test_gbk_without_header_as_excel_saves_it():
    data = "找您35元，请拿好,合格,amount=35\n师傅，看一下,不通过\n".encode("gbk")
    rows, problems = parse_marked_answers(data)
    assert problems == []
    assert [(r.row, r.answer, r.passed) for r in rows] == [
        (1, "找您35元，请拿好", True), (2, "师傅，看一下", False)]


def test_chinese_header_and_tabs():
    data = "答案\t标注\n请稍候\t√\n".encode()
    rows, problems = parse_marked_answers(data)
    assert problems == [] and rows[0].passed and rows[0].answer == "请稍候"


def test_bad_rows_are_reported_by_row_number_and_the_rest_kept():
    data = ("answer,label,values\n"
            "找您35元，请拿好,pass,amount=35\n"
            "找您35元，请拿好,也许\n"
            "找您35元，请拿好,fail,{amount: 35}\n"
            "找您35元，请拿好,fail,amount\n"
            "找您35元，请拿好\n").encode()
    rows, problems = parse_marked_answers(data)
    assert [r.row for r in rows] == [2]
    assert [p.row for p in problems] == [3, 4, 5, 6]
    assert "也许" in problems[0].message and "通过/不通过" in problems[0].message
    assert "JSON" in problems[1].message
    assert "amount=35" in problems[2].message
    assert "缺少标注" in problems[3].message
    assert str(problems[0]).startswith("第3行:")


def test_unusable_files():
    assert parse_marked_answers(b"")[1][0].message == "文件中没有可用的作答记录"
    rows, problems = parse_marked_answers(b"\xff\xfe\xff\xfe\x81")
    assert rows == [] and problems[0].row == 0 and "编码" in problems[0].message
    rows, problems = parse_marked_answers("answer,values\n请稍候,x=1\n".encode())
    assert rows == [] and "label" in problems[0].message


MARKED = ("answer,label,values\n"
          "找您35元，请拿好。,通过,amount=35\n"          # agree
          "找您三十五块钱，您拿好,pass,amount=35\n"       # agree: colloquial
          "找您53元，请拿好,fail,amount=35\n"             # agree: wrong amount
          "找您钱，请拿好,不通过,amount=35\n"             # agree: amount missing
          "找您35元，请拿好,fail,amount=35\n"             # the person was stricter: false pass
          "急什么，找您35元，请拿好,pass,amount=35\n"     # a 忌语 the person missed: false fail
          "找您35元，请拿好,pass,\n")                     # no amount given: sent to review


def test_calibration_figures_on_a_marked_csv(library):
    rows, problems = parse_marked_answers(MARKED.encode())
    assert problems == [] and len(rows) == 7
    report = calibrate(library.item("sl-change"), rows, {"station": "昆仑"},
                       forbidden=library.forbidden_matcher())
    assert report.total == 7
    assert report.agreed == 4
    assert report.agreement == pytest.approx(4 / 7)
    assert [r.row for r in report.false_passes] == [6]
    assert [r.row for r in report.false_fails] == [7, 8]
    assert report.review_count == 1
    review = report.rows[-1]
    assert review.verdict == "review" and "amount" in review.reasons[0]
    assert any("急什么" in reason for reason in report.rows[5].reasons)
    assert report.summary() == "一致 4/7 = 57.1%(误判通过 1,误判不通过 2,需人工复核 1)"


def test_without_the_global_list_the_forbidden_row_is_no_forbidden_phrase(library):
    rows, _ = parse_marked_answers(MARKED.encode())
    report = calibrate(library.item("sl-change"), rows, {})
    # 急什么 is forbidden by the global list: without it, it is only a doubtful remark for the
    # head, not a 忌语 that fails the answer. The app always compiles with the list.
    assert report.rows[5].verdict == "review"
    assert not any("忌语" in reason for reason in report.rows[5].reasons)
    with_list = calibrate(library.item("sl-change"), rows, {},
                          compiled=library.compile(library.item("sl-change").spec))
    assert with_list.rows[5].verdict == "fail"


def test_station_values_fill_what_the_rows_leave_out(library):
    rows, _ = parse_marked_answers("您好！欢迎光临昆仑加气站,pass\n欢迎光临天山加气站,fail\n"
                                   .encode())
    report = calibrate(library.item("sl-greet"), rows, {"station": "昆仑"})
    assert report.agreement == 1.0 and report.review_count == 0


def test_calibrating_a_dialogue_turn(library):
    spec = library.item("cp-dlg-rude-staff").turns[1].spec
    values = fill_placeholders(spec, {"station": "昆仑"}, random.Random(0))
    rows, _ = parse_marked_answers(
        ("对不起，这是我们的错，我马上向站长报告，严肃处理,pass\n"
         "他就那样，你别管他,fail\n").encode())
    report = calibrate(spec, rows, values)
    assert [r.passed for r in report.rows] == [True, False]
