"""Daily practice: FSRS cards fed by every answer, the day's plan with its cap, and a session
through the real routes."""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from tests.training_helpers import attempt_id_from, post_start
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import Attempt, AttemptKind, AttemptResponse, PracticeCard, User
from trainer.progress import assigned_modules
from trainer.timeutil import now
from trainer.training import daily, schedule

T0 = datetime(2026, 3, 2, 8, 0)


# --- scheduling (pure) ------------------------------------------------------------------------


def test_a_failed_item_comes_back_in_minutes_a_known_one_after_days():
    planner = schedule.scheduler(0.9, fuzz=False)
    failed = schedule.review(schedule.new_memory(T0), "fail", T0, planner)
    assert failed.due - T0 <= timedelta(minutes=1) and failed.last_rating == 1
    known = schedule.review(schedule.new_memory(T0), "pass", T0, planner)
    known = schedule.review(known, "pass", known.due, planner)
    assert known.due - T0 >= timedelta(days=1)
    again = schedule.review(known, "pass", known.due, planner)
    assert again.due - known.due > known.due - T0          # intervals grow while it sticks
    lapse = schedule.review(again, "fail", again.due, planner)
    assert lapse.lapses == 1 and lapse.due - again.due <= timedelta(minutes=10)


def test_a_higher_target_retention_reviews_sooner():
    def interval(retention):
        planner = schedule.scheduler(retention, fuzz=False)
        memory = schedule.review(schedule.new_memory(T0), "pass", T0, planner)
        memory = schedule.review(memory, "pass", memory.due, planner)
        return schedule.review(memory, "pass", memory.due, planner).due - memory.due
    assert interval(0.95) < interval(0.8)


def test_an_answer_stamped_before_the_last_review_is_applied_forward():
    planner = schedule.scheduler(fuzz=False)
    memory = schedule.review(schedule.new_memory(T0), "pass", T0, planner)
    earlier = schedule.review(memory, "fail", T0 - timedelta(minutes=5), planner)
    assert earlier.last_review == T0


def test_choose_takes_the_most_overdue_first_then_a_few_new_within_the_cap():
    due = {"a": T0 - timedelta(days=3), "b": T0 - timedelta(days=1), "c": T0 + timedelta(days=2)}
    unseen = ["n1", "n2", "n3", "n4"]
    assert schedule.choose(due, unseen, T0, size=8, done_today=0, daily_cap=30, new_limit=3) == [
        "a", "b", "n1", "n2", "n3"]
    assert schedule.choose(due, unseen, T0, size=2, done_today=0, daily_cap=30, new_limit=3) == [
        "a", "b"]
    assert schedule.choose(due, unseen, T0, size=8, done_today=29, daily_cap=30, new_limit=3) == [
        "a"]
    assert schedule.choose(due, unseen, T0, size=8, done_today=30, daily_cap=30, new_limit=3) == []


# --- cards from every answer ------------------------------------------------------------------


def quiz_with(app, b, right: set[int]) -> tuple[int, list[str]]:
    """A practice quiz answered right only at the given positions; returns (id, question ids)."""
    from tests.test_training_quiz import question_of, right_form

    aid = attempt_id_from(post_start(b, "/me/modules/fueling/quiz"))
    good, bad = right_form(app, aid), right_form(app, aid, wrong=99)
    form = {k: (good if question_of(k) in right else bad)[k] for k in good}
    b.post(f"/me/quiz/{aid}", form)
    with app.app_context():
        ids = [q["id"] for q in db.session.get(Attempt, aid).presented["questions"]]
    return aid, ids


def cards_of(app, user_id):
    with app.app_context():
        return {c.item_id: c for c in db.session.scalars(
            select(PracticeCard).where(PracticeCard.user_id == user_id))}


def test_quiz_answers_feed_the_cards_and_wrong_ones_come_first(app, login_as, world):
    b = login_as("staff_a")
    _, ids = quiz_with(app, b, right={0, 1, 2})
    b.get("/me/daily")                                          # syncs the cards
    cards = cards_of(app, world.id("staff_a"))
    assert set(cards) == set(ids)
    wrong, right = ids[3:], ids[:3]
    assert all(cards[i].last_rating == 1 for i in wrong) and all(cards[i].last_rating == 3 for i in right)
    assert max(cards[i].due for i in wrong) < min(cards[i].due for i in right)
    with app.app_context():                                     # two minutes later
        for card in db.session.scalars(select(PracticeCard)):
            card.due -= timedelta(minutes=2)
        db.session.commit()
    page = b.get("/me/daily").get_data(as_text=True)
    assert "现在该复习</dt><dd>7 题(其中上次答错 7 题)" in page and "这一组 8 题" in page
    assert page.count("上次答错</span>") == 7
    with app.app_context():
        user = db.session.get(User, world.id("staff_a"))
        plan = daily.plan(user, assigned_modules(user, get_library()), daily.DailySettings(),
                          at=now() + timedelta(minutes=2))
        # The seven missed come first, then one never seen fills the session of eight.
        assert set(plan.items[:7]) == set(wrong) and plan.items[7] == "sl-greet"
        assert set(plan.weak) == set(wrong)


def test_reading_the_answers_twice_reviews_each_once(app, login_as, world):
    b = login_as("staff_a")
    quiz_with(app, b, right={0})
    b.get("/me/daily")
    b.get("/me")
    assert {c.reps for c in cards_of(app, world.id("staff_a")).values()} == {1}


def test_a_roleplay_turn_counts_for_its_phrase(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/roleplay/sl-dlg-cng-full/start"))
    b.post(f"/me/roleplay/attempts/{aid}/turns/0", {"text": "来了啊,加多少?"})
    b.get("/me/daily")
    cards = cards_of(app, world.id("staff_a"))
    assert set(cards) == {"sl-greet"} and cards["sl-greet"].last_rating == 1


def test_an_answer_scored_late_is_not_skipped(app, login_as, world):
    """A spoken turn is scored after answers typed later: it still reaches its card."""
    b = login_as("staff_a")
    quiz_with(app, b, right=set())
    b.get("/me/daily")
    with app.app_context():
        user = db.session.get(User, world.id("staff_a"))
        attempt = Attempt(user_id=user.id, station_id=user.station_id, module_id="phrases",
                          module_version="v", kind=AttemptKind.PHRASE, mode="practice",
                          item_id="sl-wait", presented={})
        db.session.add(attempt)
        db.session.flush()
        db.session.add(AttemptResponse(attempt_id=attempt.id, position=0, item_id="sl-wait",
                                       status="scored", verdict="pass", score=90,
                                       scored_at=now() + timedelta(seconds=5)))
        db.session.commit()
    b.get("/me/daily")
    assert cards_of(app, world.id("staff_a"))["sl-wait"].last_rating == 3


# --- sessions through the routes --------------------------------------------------------------


def test_a_first_session_brings_a_few_new_items_and_explains_each(app, login_as, world):
    b = login_as("staff_a")
    page = b.get("/me/daily").get_data(as_text=True)
    assert "开始练习" in page and "这一组 3 题" in page
    aid = attempt_id_from(post_start(b, "/me/daily/start"))
    with app.app_context():
        turns = db.session.get(Attempt, aid).presented["turns"]
    assert [t["item"] for t in turns] == ["sl-greet", "sl-fault-wait", "sl-fault-elsewhere"]
    session = b.get(f"/me/daily/{aid}").get_data(as_text=True)
    assert "驶进昆仑加气站" in session and f"/practice/attempts/{aid}/turns/0/audio" in session
    b.post(f"/me/daily/{aid}/items/0", {"text": turns[0]["expected"]})
    after = b.get(f"/me/daily/{aid}").get_data(as_text=True)
    assert "上一题" in after and "turn-result result-pass" in after and "1/3" in after
    b.post(f"/me/daily/{aid}/items/0", {"text": "再答一遍"})      # a resubmit changes nothing
    b.post(f"/me/daily/{aid}/items/1", {"text": "不知道"})
    b.post(f"/me/daily/{aid}/items/2", {"text": turns[2]["expected"]})
    done = b.get(f"/me/daily/{aid}").get_data(as_text=True)
    assert "这一组练完了" in done
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.status == "scored" and len(attempt.responses) == 3
    cards = cards_of(app, world.id("staff_a"))
    assert cards["sl-fault-wait"].last_rating == 1 and cards["sl-greet"].last_rating == 3


def test_questions_in_a_session_and_the_daily_cap(app, login_as, world, monkeypatch):
    from tests.test_training_quiz import fields_for

    monkeypatch.setitem(app.config, "TRAINING_DAILY_CAP", 4)
    b = login_as("staff_a")
    quiz_with(app, b, right=set())          # ten questions wrong: due in a minute
    b.get("/me/daily")
    with app.app_context():
        for card in db.session.scalars(select(PracticeCard)):
            card.due = now() - timedelta(minutes=1)
        db.session.commit()
    aid = attempt_id_from(post_start(b, "/me/daily/start"))
    with app.app_context():
        turns = db.session.get(Attempt, aid).presented["turns"]
        questions = [get_library().item(t["item"]) for t in turns]
    assert len(turns) == 4 and all("question" in t for t in turns)
    assert questions[0].prompt in b.get(f"/me/daily/{aid}").get_data(as_text=True)
    b.post(f"/me/daily/{aid}/items/0", {})                      # nothing chosen
    assert "请先作答再提交" in b.get(f"/me/daily/{aid}").get_data(as_text=True)
    for position, (q, turn) in enumerate(zip(questions, turns, strict=True)):
        b.post(f"/me/daily/{aid}/items/{position}", fields_for(q, turn["question"], position))
        if position == 0:
            after = b.get(f"/me/daily/{aid}").get_data(as_text=True)
            assert "答对了" in after and q.explanation in after
    assert "这一组练完了" in b.get(f"/me/daily/{aid}").get_data(as_text=True)
    home = b.get("/me/daily").get_data(as_text=True)
    assert "今天已练</dt><dd>4 / 4 题" in home and "今天已经练够了" in home
    refused = post_start(b, "/me/daily/start")
    assert "今天的练习已经完成" in b.get(refused.headers["Location"]).get_data(as_text=True)
    cards = cards_of(app, world.id("staff_a"))
    assert all(cards[q.id].last_rating == 3 for q in questions)
    # 练习记录 names the session 每日练习 and its questions 题目, not 顾客
    record = b.get(f"/me/history/{aid}").get_data(as_text=True)
    assert "<h1>每日练习</h1>" in record and "题目：" in record and "顾客：" not in record


def test_stopping_before_answering_drops_the_session(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/daily/start"))
    assert b.post(f"/me/daily/{aid}/finish", {}).status_code == 302
    with app.app_context():
        assert db.session.get(Attempt, aid).status == "expired"
    assert "开始练习" in b.get("/me/daily").get_data(as_text=True)


def test_daily_sessions_are_private(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, "/me/daily/start"))
    other = login_as("staff_a2")
    assert other.get(f"/me/daily/{aid}").status_code == 404
    assert other.post(f"/me/daily/{aid}/items/0", {"text": "您好"}).status_code == 404
    assert other.post(f"/me/daily/{aid}/finish", {}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(AttemptResponse.id))) == 0
