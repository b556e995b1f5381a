"""The timed drill self-practice: the fueling sequence in order against a clock."""

from datetime import timedelta

from sqlalchemy import func, select

from tests.training_helpers import attempt_id_from, post_start
from trainer.extensions import db
from trainer.library import get_library
from trainer.models import Attempt, AttemptResponse, Station
from trainer.training.drill import time_allowed

DRILL = "op-drill-fueling"


def steps():
    return [s.id for s in get_library().item(DRILL).steps]


def test_the_right_order_in_time_passes(app, login_as, world):
    b = login_as("staff_a")
    module = b.get("/me/modules/fueling").get_data(as_text=True)
    assert "开始计时演练" in module and "车就位熄火到开枪：不超过 30 秒" in module
    aid = attempt_id_from(post_start(b, f"/me/drill/{DRILL}/start"))
    page = b.get(f"/me/drill/attempts/{aid}").get_data(as_text=True)
    assert page.count('class="drill-pick"') == 8 and "40 秒" in page
    with app.app_context():
        order = steps()
        shown = db.session.get(Attempt, aid).presented["steps"]
        assert sorted(shown) == sorted(order) and shown != order
    b.post(f"/me/drill/attempts/{aid}", {"order": ",".join(order), "elapsed_ms": "900"})
    result = b.get(f"/me/drill/attempts/{aid}").get_data(as_text=True)
    assert "顺序正确，用时在要求之内" in result and "badge-pass" in result and "正确顺序" in result
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.verdict == "pass" and attempt.score == 100
        assert attempt.responses[0].answer["seconds"] == 0.9


def test_a_safety_step_out_of_place_fails(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/drill/{DRILL}/start"))
    with app.app_context():
        order = steps()
    order[0], order[3] = order[3], order[0]          # opens the nozzle before the engine is off
    b.post(f"/me/drill/attempts/{aid}", {"order": ",".join(order), "elapsed_ms": "1000"})
    page = b.get(f"/me/drill/attempts/{aid}").get_data(as_text=True)
    assert "安全关键步骤顺序错误" in page and "badge-fail" in page


def test_too_slow_fails(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/drill/{DRILL}/start"))
    with app.app_context():
        attempt = db.session.get(Attempt, aid)
        attempt.started_at -= timedelta(seconds=time_allowed(get_library().item(DRILL)) + 20)
        db.session.commit()
        order = steps()
    # A page clock running past the server's is not plausible: the server's time counts.
    b.post(f"/me/drill/attempts/{aid}", {"order": ",".join(order), "elapsed_ms": "999999"})
    page = b.get(f"/me/drill/attempts/{aid}").get_data(as_text=True)
    assert "超过 40 秒" in page and "badge-fail" in page


def test_without_javascript_the_steps_are_numbered(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/drill/{DRILL}/start"))
    with app.app_context():
        order = steps()
    form = {f"d-{s}": str(i + 1) for i, s in enumerate(order)}
    b.post(f"/me/drill/attempts/{aid}", {"order": "", "elapsed_ms": "", **form})
    with app.app_context():
        assert db.session.get(Attempt, aid).verdict == "pass"


def test_an_incomplete_order_changes_nothing(app, login_as, world):
    b = login_as("staff_a")
    aid = attempt_id_from(post_start(b, f"/me/drill/{DRILL}/start"))
    with app.app_context():
        order = steps()
    b.post(f"/me/drill/attempts/{aid}", {"order": ",".join(order[:5]) + ",bogus"})
    assert "请把每一步都排进顺序" in b.get(f"/me/drill/attempts/{aid}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, aid).status == "in_progress"
        assert db.session.scalar(select(func.count(AttemptResponse.id))) == 0


def test_the_payment_limit_follows_the_stations_rule_set(app, login_as, world):
    with app.app_context():
        db.session.get(Station, world.station_a).rule_set = "pay-2min"
        db.session.commit()
    page = login_as("staff_a").get("/me/modules/fueling").get_data(as_text=True)
    assert "开票、收款：不超过 120 秒" in page and "收款、记账：不超过 60 秒" not in page


def test_drills_are_for_the_posts_that_have_them_and_private(app, login_as, world):
    assert post_start(login_as("clerk_a"), f"/me/drill/{DRILL}/start").status_code == 404
    aid = attempt_id_from(post_start(login_as("staff_a"), f"/me/drill/{DRILL}/start"))
    other = login_as("staff_b")
    assert other.get(f"/me/drill/attempts/{aid}").status_code == 404
    assert other.post(f"/me/drill/attempts/{aid}", {"order": "x"}).status_code == 404
