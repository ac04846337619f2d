import threading

from bot import audit


def test_every_change_is_one_line_with_who_and_when(tmp_path):
    log = tmp_path / "audit.log"
    threads = [
        threading.Thread(target=audit.record, args=(f"cán bộ {n}", "label", {"text": "câu hỏi"}, log)) for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = audit.entries(log)
    assert sorted(e["who"] for e in entries) == sorted(f"cán bộ {n}" for n in range(8))
    assert all(e["action"] == "label" and e["text"] == "câu hỏi" and e["at"] > 0 for e in entries)
