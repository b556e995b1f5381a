"""The content admin's pages: browse modules and items, try answers, calibrate the grader."""

import io


def test_only_admin_opens_the_content_pages(login_as):
    for key in ("hr", "head_a", "staff_a"):
        assert login_as(key).get("/admin/content").status_code == 403
    page = login_as("admin").get("/admin/content").get_data(as_text=True)
    assert "服务用语" in page and "服务忌语" in page


def test_module_page_lists_items_with_sources(login_as):
    page = login_as("admin").get("/admin/content/phrases").get_data(as_text=True)
    assert "sl-greet" in page and "《天然气加气站客户服务标准》" in page
    assert login_as("admin").get("/admin/content/nope").status_code == 404
    assert login_as("admin").get("/admin/content/items/nope").status_code == 404


def test_trial_answer_is_scored_with_reasons(login_as):
    b = login_as("admin")
    good = b.post("/admin/content/items/sl-greet", {"action": "trial", "t-answer": "您好,欢迎光临昆仑加气站",
                                                    "v-station": "昆仑"}).get_data(as_text=True)
    assert "通过" in good and "result-pass" in good
    bad = b.post("/admin/content/items/sl-greet", {"action": "trial", "t-answer": "爱加不加",
                                                   "v-station": "昆仑"}).get_data(as_text=True)
    assert "result-fail" in bad and "爱加不加" in bad


def test_calibration_upload_reports_agreement_and_bad_rows(login_as):
    rows = ("answer,label,values\n"
            "\"您好,欢迎光临昆仑加气站\",通过,station=昆仑\n"
            "来了啊,不通过,station=昆仑\n"
            "您好欢迎光临天山加气站,通过,station=昆仑\n"
            "您好,也许,station=昆仑\n")
    b = login_as("admin")
    page = b.post("/admin/content/items/sl-greet",
                  {"action": "calibrate", "c-file": (io.BytesIO(rows.encode("gbk")), "marks.csv")},
                  content_type="multipart/form-data").get_data(as_text=True)
    assert "一致 2/3" in page and "误判不通过 1" in page
    assert "第5行" in page  # the unreadable label is reported, the rest still scored


def test_dialogue_turns_can_be_calibrated_one_by_one(login_as):
    from trainer.library import get_library

    b = login_as("admin")
    with b.client.application.app_context():
        dialogue = next(d for m in get_library().modules for d in m.dialogues)
    page = b.get(f"/admin/content/items/{dialogue.id}?spec={dialogue.id}%231").get_data(as_text=True)
    assert "第 2 轮" in page and "评分校准" in page
