from rasa_sdk import Tracker

from actions.problem_again import ActionCheckProblemAgain, is_new_problem, names_the_phone, restates


def bot(response):
    return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}


def user(text, answer):
    intent = {"name": answer.split("/")[0], "full_retrieval_intent_name": answer}
    return {"event": "user", "text": text, "parse_data": {"intent": intent}}


def after_the_fixes_for(given, then_reported):
    events = [
        user("cập nhật không được", given),
        bot(f"utter_{given}"),
        bot("utter_ask_still_broken"),
        user("...", then_reported),
    ]
    return Tracker("c", {}, events[-1]["parse_data"], events, False, None, {}, "action_listen")


def test_another_problem_is_new():
    assert is_new_problem("report_app_error/error_after_update", "report_app_error/update_failed")


def test_the_same_problem_or_a_bare_error_is_not():
    assert not is_new_problem("report_app_error/update_failed", "report_app_error/update_failed")
    assert not is_new_problem("report_app_error/overview", "report_app_error/update_failed")
    assert not is_new_problem(None, "report_app_error/update_failed")


def test_after_the_general_steps_a_specific_reading_is_not_new():
    assert not is_new_problem("report_app_error/crash_iphone", "report_app_error/overview")
    assert not is_new_problem("report_app_error/crash_iphone", None)


def test_after_the_general_steps_the_fixes_for_the_phone_named_are_new():
    assert is_new_problem("report_app_error/crash_iphone", "report_app_error/overview", told_more=True)
    assert not is_new_problem("report_app_error/overview", "report_app_error/overview", told_more=True)
    # After specific fixes, naming the phone changes nothing.
    assert not is_new_problem("report_app_error/crash_iphone", "report_app_error/crash_iphone", told_more=True)


def test_restating_is_the_entity_understanding_sets():
    assert restates({"entities": [{"entity": "clarifies", "value": "yes"}]})
    assert not restates({"entities": [{"entity": "go_on", "value": "yes"}]})
    assert not restates({})


def test_the_problem_restated_after_the_general_steps_gets_its_fixes(dispatcher):
    tracker = after_the_fixes_for("report_app_error/overview", "report_app_error/bluetooth_on_but_error")
    assert ActionCheckProblemAgain().run(dispatcher, tracker, {})[0]["value"] is False
    tracker.latest_message["entities"] = [{"entity": "clarifies", "value": "yes"}]
    assert ActionCheckProblemAgain().run(dispatcher, tracker, {})[0]["value"] is True


def test_the_phone_is_named_by_its_entities():
    assert names_the_phone({"entities": [{"entity": "phone_model", "value": "iphone_8"}]})
    assert not names_the_phone({"entities": [{"entity": "phone_kind", "value": "feature_phone"}]})
    assert not names_the_phone({})


def test_the_action_compares_with_the_fixes_just_given(dispatcher):
    action = ActionCheckProblemAgain()
    new = action.run(
        dispatcher, after_the_fixes_for("report_app_error/update_failed", "report_app_error/stuck_loading"), {}
    )
    same = action.run(
        dispatcher, after_the_fixes_for("report_app_error/update_failed", "report_app_error/update_failed"), {}
    )
    assert new == [{"event": "slot", "name": "problem_is_new", "value": True, "timestamp": None}]
    assert same[0]["value"] is False
    assert dispatcher.messages == []


def test_the_fixes_compared_are_the_last_given_though_the_bot_went_on_to_another_topic(dispatcher):
    events = [
        user("cập nhật không được", "report_app_error/update_failed"),
        bot("utter_report_app_error/update_failed"),
        bot("utter_ask_still_broken"),
        user("rồi sao nữa", "affirm"),
        bot("utter_ask_pc_covid/overview"),
        bot("utter_ask_still_broken"),
        user("...", "report_app_error/error_after_update"),
    ]
    tracker = Tracker("c", {}, events[-1]["parse_data"], events, False, None, {}, "action_listen")
    assert ActionCheckProblemAgain().run(dispatcher, tracker, {})[0]["value"] is True
    events[-1] = user("...", "report_app_error/update_failed")
    tracker = Tracker("c", {}, events[-1]["parse_data"], events, False, None, {}, "action_listen")
    assert ActionCheckProblemAgain().run(dispatcher, tracker, {})[0]["value"] is False
