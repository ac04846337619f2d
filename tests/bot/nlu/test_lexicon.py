from bot.nlu.lexicon import parse_lexicon, split_phrase


def test_teencode_keeps_its_meaning_where_english_has_the_same_word():
    lexicon = parse_lexicon("teencode:\n  add: admin\nenglish:\n  add: thêm\n  battery: pin\n")
    assert lexicon.teencode[split_phrase("add")] == split_phrase("admin")
    assert lexicon.teencode[split_phrase("battery")] == split_phrase("pin")
