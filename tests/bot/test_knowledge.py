from bot.knowledge import load_families, load_families_if_present


def test_the_families_are_read_from_the_data_staff_edit(tmp_path, monkeypatch):
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "questions.yml").write_text(
        "families:\n"
        "  - key: ask_install/install_on_iphone\n"
        "    question: Cài trên iPhone thế nào?\n"
        "    phone: ios\n"
        "    other_phone: ask_install/install_on_android\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    family = load_families_if_present()["ask_install/install_on_iphone"]
    assert family.topic == "ask_install"
    assert (family.phone, family.other_phone) == ("ios", "ask_install/install_on_android")


def test_a_model_served_without_the_project_data_reads_without_families(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    assert load_families_if_present() == {}


def test_the_project_has_its_families():
    assert "ask_install/uninstall" in load_families()
