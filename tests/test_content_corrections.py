"""Issue 17: the admin corrects an item in the UI: checked like `flask content check`, kept as
an append-only, audited override layer that the library and `content check` include; the item
page shows how often the heads overruled the engine on it."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from tests.practice_helpers import answer_text, start_phrase
from trainer.extensions import db
from trainer.library import EXTENSION_KEY, OVERRIDES_KEY, _stamp, get_library
from trainer.models import AuditLog, ContentOverride
from trainer.models.audit import AppendOnlyError


@pytest.fixture(autouse=True)
def _files_only_afterwards(app):
    """The next test starts with an empty database: let the library be the files alone."""
    yield
    base = app.extensions[EXTENSION_KEY]
    app.extensions[OVERRIDES_KEY] = (_stamp(app), base, base)


def edit(admin, item_id, **fields):
    data = {"status": "active", "reason": "依据服务标准四、2:请稍候", **fields}
    return admin.post(f"/admin/content/items/{item_id}/edit", data)


def test_a_valid_correction_is_in_force_at_once_and_audited(app, world, login_as):
    admin = login_as("admin")
    form = admin.get("/admin/content/items/sl-fault-wait/edit").get_data(as_text=True)
    # The files teach 请稍候 and accept 请稍后 (issue 17): the correction adds 不好意思.
    assert "对不起，加气站出现故障，请稍候。" in form and "对不起 / 抱歉" in form
    response = edit(admin, "sl-fault-wait",
                    expected="对不起，加气站出现故障，请稍候。\n对不起，加气站出现故障，请稍后。",
                    key_points="对不起 / 抱歉 / 不好意思\n故障",
                    explanation="先致歉，再说明故障，请顾客稍候。")
    assert response.status_code == 302
    page = admin.get("/admin/content/items/sl-fault-wait").get_data(as_text=True)
    assert "修改已保存并生效" in page and "请稍候。" in page and "现行" in page
    with app.app_context():
        item = get_library().item("sl-fault-wait")
        assert item.spec.expected[0] == "对不起，加气站出现故障，请稍候。"
        assert ("对不起", "抱歉", "不好意思") in item.spec.key_points
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "content.corrected"))
        assert entry.entity_id == "sl-fault-wait" and "请稍候" in entry.reason
        assert entry.before["key_points"] != entry.after["key_points"]
    # A trainee is scored against the corrected phrase (the new synonym counts).
    staff = login_as("staff_a")
    attempt_id = start_phrase(staff, "sl-fault-wait")
    result = answer_text(staff, attempt_id, "不好意思，加气站出现故障，请稍候。").get_json()
    assert result["verdict"] == "pass", result


def test_an_invalid_correction_is_refused_with_the_checks_message(app, world, login_as):
    admin = login_as("admin")
    # The phrasing lacks the key point 故障: content check refuses it, nothing is written.
    response = edit(admin, "sl-fault-wait", expected="对不起，请稍候。", key_points="对不起\n故障",
                    explanation="x")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "内容检查不通过" in page and "不含要点" in page
    assert "没有权限" not in page
    no_reason = edit(admin, "sl-fault-wait", expected="对不起，加气站出现故障，请稍候。",
                     key_points="对不起\n故障", reason="")
    assert "请写明修改理由" in no_reason.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ContentOverride)) is None
        assert get_library().item("sl-fault-wait").spec.expected == (
            "对不起，加气站出现故障，请稍候。", "对不起，加气站出现故障，请稍后。")


def test_draft_to_active_and_content_check_includes_the_corrections(app, world, login_as,
                                                                     runner):
    with app.app_context():
        draft = next(i for m in get_library().modules for i in m.phrases if i.status == "draft")
        current = draft.spec
    admin = login_as("admin")
    response = edit(admin, draft.id, expected="\n".join(current.expected),
                    key_points="\n".join(" / ".join(p) for p in current.key_points),
                    explanation=draft.explanation, status="active", reason="试行期满,转为生效")
    assert response.status_code == 302
    with app.app_context():
        assert get_library().item(draft.id).status == "active"
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0 and "含管理员在网页上的修正 1 条" in result.output


def test_corrections_are_append_only(app, world, login_as):
    edit(login_as("admin"), "im-card-uniform", title="统一着装(工作服)",
         body="上岗时按公司规定统一穿工作服。", reason="标题更清楚")
    with app.app_context():
        row = db.session.scalar(select(ContentOverride))
        row.reason = "改写历史"
        with pytest.raises(AppendOnlyError):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(SQLAlchemyError):        # the database's own trigger
            db.session.execute(text("DELETE FROM content_override"))
            db.session.commit()
        db.session.rollback()


def test_only_the_admin_corrects(app, world, login_as):
    for key in ("hr", "head_a", "staff_a"):
        browser = login_as(key)
        assert browser.get("/admin/content/items/sl-greet/edit").status_code == 403, key
    assert login_as("admin").get("/admin/content/items/nope/edit").status_code == 404


def test_the_item_page_shows_how_often_heads_overruled_the_engine(app, world, login_as):
    staff = login_as("staff_a")
    attempt_id = start_phrase(staff, "sl-greet")
    answer_text(staff, attempt_id, "你好呀欢迎")
    staff.post(f"/practice/attempts/{attempt_id}/review", {"reason": "识别错了"})
    head = login_as("head_a")
    head.post(f"/station/reviews/{attempt_id}", {"verdict": "pass", "score": "85",
                                                  "reason": "现场说全了"})
    page = login_as("admin").get("/admin/content/items/sl-greet").get_data(as_text=True)
    section = page.split('id="disagreement"')[1].split("</section>")[0]
    assert "站长复核了 1 次作答,改判 1 次(100%):改为通过 1 次" in section
    assert "现场说全了" in section


def test_a_trial_dialogue_and_a_question_can_be_corrected_too(app, world, login_as):
    from trainer.content import Dialogue, Question

    with app.app_context():
        items = [i for m in get_library().modules for i in m.items()]
        dialogue = next(i for i in items if isinstance(i, Dialogue) and i.status == "draft")
        question = next(i for i in items if isinstance(i, Question))
    admin = login_as("admin")
    form = admin.get(f"/admin/content/items/{dialogue.id}/edit").get_data(as_text=True)
    assert 'name="status"' in form and 'name="expected"' not in form
    assert edit(admin, dialogue.id, reason="试行期满").status_code == 302
    response = edit(admin, question.id, prompt=question.prompt + "(按公司规定)",
                    explanation=question.explanation, status=question.status,
                    reason="注明依据")
    assert response.status_code == 302
    with app.app_context():
        assert get_library().item(dialogue.id).status == "active"
        assert get_library().item(question.id).prompt.endswith("(按公司规定)")
