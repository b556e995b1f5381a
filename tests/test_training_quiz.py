"""Quizzes: every question type, shuffling, practice and assessment through the real routes,
double submits, resuming, time limits, and answers shown only when they may be."""

import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.training_helpers import attempt_id_from, post_start, window
from trainer.content import ChoiceQuestion, FillQuestion, OrderingQuestion, Step, TrueFalseQuestion
from trainer.content.model import Source
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import AssessmentWindow, Attempt, AttemptResponse, AttemptStatus, User
from trainer.progress import assigned_modules
from trainer.timeutil import now
from trainer.training import answers, quiz, study

SRC = Source(doc=None)


def single():
    return ChoiceQuestion(id="q-s", type="single", prompt="选一个", explanation="因为",
                          source=SRC, options=("甲", "乙", "丙"), answers=("乙",))


def multiple():
    return ChoiceQuestion(id="q-m", type="multiple", prompt="选几个", explanation="因为",
                          source=SRC, options=("甲", "乙", "丙", "丁"), answers=("甲", "丙"))


def ordering():
    return OrderingQuestion(id="q-o", type="ordering", prompt="排序", explanation="因为",
                            source=SRC, steps=(Step("a", "熄火", True), Step("b", "核卡"),
                                               Step("c", "加气"), Step("d", "收款"),
                                               Step("e", "送车")))


def getter(values: dict):
    return lambda name: [str(v) for v in (values.get(name) if isinstance(values.get(name), list)
                                          else [values[name]] if name in values else [])]


# --- matchers (pure) --------------------------------------------------------------------------


def test_single_choice_reads_the_index_of_the_shuffled_option():
    q = single()
    entry = answers.present(q, random.Random(3))
    right = entry["options"].index("乙")
    wrong = (right + 1) % 3
    assert answers.check(q, answers.read_answer(q, entry, 0, getter({"q0": right}))).correct
    assert not answers.check(q, answers.read_answer(q, entry, 0, getter({"q0": wrong}))).correct
    assert answers.read_answer(q, entry, 0, getter({"q0": "99"})) is None   # no such option
    missing = answers.check(q, None)
    assert not missing.correct and missing.given == "(未作答)" and missing.right == "乙"


def test_multiple_choice_needs_exactly_the_right_options():
    q = multiple()
    entry = answers.present(q, random.Random(5))
    index = {text: str(i) for i, text in enumerate(entry["options"])}
    pick = lambda *texts: answers.check(q, answers.read_answer(  # noqa: E731
        q, entry, 2, getter({"q2": [index[t] for t in texts]})))
    assert pick("丙", "甲").correct
    assert not pick("甲").correct and not pick("甲", "丙", "丁").correct
    assert pick("丙", "甲").given == "甲、丙"      # shown in the content's order


def test_true_false_and_fill():
    tf = TrueFalseQuestion(id="q-t", type="truefalse", prompt="对吗", explanation="因为",
                           source=SRC, answer=False)
    assert answers.check(tf, answers.read_answer(tf, {}, 1, getter({"q1": "false"}))).correct
    assert not answers.check(tf, answers.read_answer(tf, {}, 1, getter({"q1": "true"}))).correct
    assert answers.read_answer(tf, {}, 1, getter({"q1": "maybe"})) is None
    fill = FillQuestion(id="q-f", type="fill", prompt="填空", explanation="因为", source=SRC,
                        text="请您____!", accepted=("合作", "配合"))
    for text, ok in [("合作", True), (" 配合。", True), ("协作", False), ("", False)]:
        answer = answers.read_answer(fill, {}, 0, getter({"q0": text}))
        assert answers.check(fill, answer).correct is ok, text


def test_ordering_scores_the_order_and_fails_a_misplaced_safety_step():
    q = ordering()
    entry = answers.present(q, random.Random(1))
    numbers = lambda order: getter({f"q0-{s}": order.index(s) + 1 for s in order})  # noqa: E731
    right = answers.check(q, answers.read_answer(q, entry, 0, numbers(list("abcde"))))
    assert right.correct and right.score == 100
    slip = answers.check(q, answers.read_answer(q, entry, 0, numbers(list("bacde"))))
    assert not slip.correct and any("熄火" in r for r in slip.details["reasons"])
    ordinary = answers.check(q, answers.read_answer(q, entry, 0, numbers(list("abdce"))))
    assert ordinary.correct and ordinary.score == 80        # one slip in five still passes
    twice = answers.read_answer(q, entry, 0, getter({"q0-a": 1, "q0-b": 1, "q0-c": 2,
                                                     "q0-d": 3, "q0-e": 4}))
    assert not answers.check(q, twice).correct and twice["complete"] is False


def test_options_and_steps_are_shuffled():
    orders = {tuple(answers.present(multiple(), random.Random(seed))["options"])
              for seed in range(20)}
    assert len(orders) > 5
    for seed in range(30):   # a shuffle never gives the right order away
        assert answers.present(ordering(), random.Random(seed))["steps"] != list("abcde")


# --- through the routes -----------------------------------------------------------------------


def question_of(field: str) -> int:
    """The question position of a form field (q3, q3-stepid)."""
    return int(re.match(r"q(\d+)", field).group(1))


def fields_for(q, entry: dict, position: int, bad: bool = False) -> dict:
    """The form fields answering question `q` (as presented in `entry`) right, or wrong."""
    name = f"q{position}"
    if q.type in ("single", "multiple"):
        chosen = [i for i, t in enumerate(entry["options"]) if (t in q.answers) != bad]
        return {name: [str(i) for i in chosen[:1 if q.type == "single" else None]]}
    if q.type == "truefalse":
        return {name: "true" if q.answer != bad else "false"}
    if q.type == "fill":
        return {name: "不对" if bad else q.accepted[0]}
    order = list(q.correct_order)
    if bad:
        order.reverse()
    return {f"{name}-{sid}": str(order.index(sid) + 1) for sid in order}


def right_form(app, attempt_id: int, wrong: int = 0) -> dict:
    """The form a trainee who knows every answer would send (the first `wrong` answered
    wrongly)."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        library = get_library()
        form: dict = {}
        for position, entry in enumerate(attempt.presented["questions"]):
            form.update(fields_for(library.item(entry["id"]), entry, position,
                                   bad=position < wrong))
        return form


def test_a_practice_quiz_from_start_to_result(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/modules/fueling/quiz"))
    page = b.get(f"/me/quiz/{aid}").get_data(as_text=True)
    assert page.count('class="card question"') == 10 and "交卷" in page
    response = b.post(f"/me/quiz/{aid}", right_form(app, aid, wrong=3))
    assert response.status_code == 302
    result = b.get(f"/me/quiz/{aid}").get_data(as_text=True)
    assert "70</strong> 分" in result and "答对 7/10 题" in result
    # Practice shows every answer with the right one, the explanation and the source at once.
    assert "正确答案" in result and "依据：《" in result and "逐题解析" in result
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.status == AttemptStatus.SCORED and attempt.final_verdict == "fail"
        assert attempt.module_version == get_library().module("fueling").version
        rows = db.session.scalars(select(AttemptResponse).where(
            AttemptResponse.attempt_id == aid)).all()
        assert len(rows) == 10 and sum(r.verdict == "pass" for r in rows) == 7


def test_a_double_submit_or_back_button_records_one_attempt(app, login_as, world):
    b = login_as("staff_a")
    first = attempt_id_from(post_start(b, "/me/modules/fueling/quiz", key="same-key"))
    again = attempt_id_from(post_start(b, "/me/modules/fueling/quiz", key="same-key"))
    assert first == again
    form = right_form(app, first)
    assert b.post(f"/me/quiz/{first}", form).status_code == 302
    assert b.post(f"/me/quiz/{first}", right_form(app, first, wrong=10)).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 1
        assert db.session.scalar(select(func.count(AttemptResponse.id))) == 10
        assert db.session.get(Attempt, first).final_score == 100   # the first submit stands


def test_an_abandoned_quiz_resumes_with_its_saved_answers(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/modules/fueling/quiz"))
    form = right_form(app, aid)
    partial = {k: v for k, v in form.items() if question_of(k) == 0}
    saved = b.post(f"/me/quiz/{aid}/save", partial,
                   headers={"X-CSRFToken": b.csrf, "Accept": "application/json"})
    assert saved.status_code == 200 and saved.json["saved"] == 1
    # The module page offers to continue; the page shows the saved answer.
    assert f"/me/quiz/{aid}" in b.get("/me/modules/fueling").get_data(as_text=True)
    page = b.get(f"/me/quiz/{aid}").get_data(as_text=True)
    first_box = page.split('id="q-1"')[1].split("</fieldset>")[0]
    assert re.search(r"\schecked|\sselected|value=\"[^\"\d]", first_box), first_box
    assert not re.search(r"\schecked|\sselected", page.split('id="q-2"')[1].split("</fieldset>")[0])
    # Submitting the rest keeps the saved answer.
    rest = {k: v for k, v in form.items() if question_of(k) != 0}
    b.post(f"/me/quiz/{aid}", rest)
    with app.app_context():
        assert db.session.get(Attempt, aid).presented["right"] == 10


def test_assessment_needs_an_open_window(app, login_as, world):
    b = login_as("staff_a")
    response = post_start(b, "/me/modules/fueling/assessment/quiz")
    assert response.status_code == 302
    assert "现在没有开放的考核" in b.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_assessment_attempts_are_limited_and_resumed_not_restarted(app, login_as, world):
    with app.app_context():
        wid = window("fueling", world.station_a, max_attempts=2)
    b = login_as("staff_a")
    first = attempt_id_from(post_start(b, "/me/modules/fueling/assessment/quiz"))
    # Starting again while the first is open resumes it.
    assert attempt_id_from(post_start(b, "/me/modules/fueling/assessment/quiz")) == first
    page = b.get(f"/me/quiz/{first}").get_data(as_text=True)
    with app.app_context():
        attempt = db.session.get(Attempt, first)
        module = study.module_for(db.session.get(User, world.id("staff_a")), "fueling",
                                  get_library())
        assert len(attempt.presented["questions"]) == len(quiz.split_pool(module)[1])
        assert attempt.window_id == wid and attempt.deadline_at is not None
    assert "剩余" in page or "截止" in page
    b.post(f"/me/quiz/{first}", right_form(app, first, wrong=8))
    second = attempt_id_from(post_start(b, "/me/modules/fueling/assessment/quiz"))
    assert second != first
    b.post(f"/me/quiz/{second}", right_form(app, second))
    refused = post_start(b, "/me/modules/fueling/assessment/quiz")
    assert "2 次机会已用完" in b.get(refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 2


def test_assessment_answers_are_shown_once_the_window_closed(app, login_as, world):
    with app.app_context():
        wid = window("fueling", world.station_a)
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/modules/fueling/assessment/quiz"))
    b.post(f"/me/quiz/{aid}", right_form(app, aid, wrong=2))
    hidden = b.get(f"/me/quiz/{aid}").get_data(as_text=True)
    assert "分</p>" in hidden or "</strong> 分" in hidden
    assert "考核结束后开放" in hidden and "逐题解析" not in hidden and "依据：《" not in hidden
    head = login_as("head_a")
    head.post(f"/windows/{wid}/close", {"reason": "全员已交卷"})
    shown = b.get(f"/me/quiz/{aid}").get_data(as_text=True)
    assert "逐题解析" in shown and "正确答案：</span>" in shown and "依据：《" in shown


def test_the_time_limit_scores_the_saved_answers(app, login_as, world):
    with app.app_context():
        window("fueling", world.station_a, time_limit=20)
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/modules/fueling/assessment/quiz"))
    form = right_form(app, aid)
    first_two = {k: v for k, v in form.items() if question_of(k) in (0, 1)}
    b.post(f"/me/quiz/{aid}/save", first_two, headers={"X-CSRFToken": b.csrf})
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        attempt.deadline_at = now() - timedelta(minutes=5)
        db.session.commit()
    late = b.post(f"/me/quiz/{aid}", form)           # handed in after the deadline
    assert late.status_code == 302
    page = b.get(f"/me/quiz/{aid}").get_data(as_text=True)
    assert "作答时间已到" in page
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.status == AttemptStatus.SCORED and attempt.presented["right"] == 2
        assert attempt.counts        # an expired sitting counts with what was saved


def test_quizzes_are_private(app, login_as, world):
    owner = login_as("staff_a")
    aid = attempt_id_from(post_start(owner, "/me/modules/fueling/quiz"))
    other = login_as("staff_a2")
    assert other.get(f"/me/quiz/{aid}").status_code == 404
    assert other.post(f"/me/quiz/{aid}", right_form(app, aid)).status_code == 404
    assert other.post(f"/me/quiz/{aid}/save", {}).status_code == 404
    assert login_as("head_a").get(f"/me/quiz/{aid}").status_code == 404
    assert login_as("hr").get(f"/me/quiz/{aid}").status_code == 403
    with app.app_context():
        assert db.session.get(Attempt, aid).status == AttemptStatus.IN_PROGRESS


def test_a_module_not_assigned_is_not_found(login_as, world):
    clerk = login_as("clerk_a")
    assert clerk.get("/me/modules/fueling").status_code == 404
    assert post_start(clerk, "/me/modules/fueling/quiz").status_code == 404
    assert post_start(clerk, "/me/modules/fueling/assessment/quiz").status_code == 404
    assert post_start(login_as("staff_a"), "/me/modules/fueling/assessment/essay").status_code == 404


@pytest.mark.parametrize("form", [{"q0": "不存在"}, {"q0-zzz": "x"}, {"q999": "1"}])
def test_nonsense_answers_change_nothing_and_never_fail(app, login_as, world, form):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/modules/fueling/quiz"))
    assert b.post(f"/me/quiz/{aid}/save", form, headers={"X-CSRFToken": b.csrf}).status_code == 200
    assert b.post(f"/me/quiz/{aid}", form).status_code == 302
    with app.app_context():
        assert db.session.get(Attempt, aid).final_score == 0


def test_missing_csrf_is_refused(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/modules/fueling/quiz"))
    response = b.client.post(f"/me/quiz/{aid}", data=right_form(app, aid))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Attempt, aid).status == AttemptStatus.IN_PROGRESS
        assert db.session.scalar(select(func.count(AssessmentWindow.id))) == 0


def test_a_new_practice_quiz_retires_the_unfinished_one(app, login_as, world):
    b = login_as("staff_a")
    first = attempt_id_from(post_start(b, "/me/modules/fueling/quiz"))
    second = attempt_id_from(post_start(b, "/me/modules/fueling/quiz"))
    assert first != second
    with app.app_context():
        assert db.session.get(Attempt, first).status == AttemptStatus.EXPIRED
        assert db.session.get(Attempt, second).status == AttemptStatus.IN_PROGRESS
    assert "未完成" in b.get("/me/history").get_data(as_text=True)
    assert "没有交卷" in b.get(f"/me/quiz/{first}").get_data(as_text=True)


def test_practice_and_exam_draw_different_questions_where_the_pool_allows(app, world):
    with app.app_context():
        library = get_library()
        person = db.session.get(User, world.id("staff_a"))
        for module in assigned_modules(person, library):
            practice, exam = quiz.split_pool(module)
            active = module.with_status("active").questions
            if len(active) >= quiz.PRACTICE_QUESTIONS + quiz.MIN_EXAM_QUESTIONS:
                assert not {q.id for q in practice} & {q.id for q in exam}, module.id
                assert len(exam) >= quiz.MIN_EXAM_QUESTIONS and len(practice) >= 10
            else:
                assert exam == practice
            assert {q.id for q in practice} | {q.id for q in exam} == {q.id for q in active}
        image = study.module_for(person, "image", library)          # 23 questions
        exam_ids = {q.id for q in quiz.split_pool(image)[1]}
        assert len(exam_ids) >= quiz.MIN_EXAM_QUESTIONS
        for seed in range(20):
            drawn = quiz.questions_for(image, "practice", random.Random(seed))
            assert len(drawn) == 10 and not {q.id for q in drawn} & exam_ids
