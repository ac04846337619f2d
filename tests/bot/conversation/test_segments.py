import pytest

from bot.conversation.segments import (
    asked_in_words,
    asking_sentence,
    confident,
    in_light_of,
    opened,
    opens_another_question,
    question_pieces,
    split_decision,
)
from bot.nlu.lexicon import load_lexicon

LEXICON = load_lexicon()


@pytest.mark.parametrize(
    "text, pieces",
    [
        ("cài ở đâu, có tốn pin không?", ["cài ở đâu", "có tốn pin không?"]),
        ("bluezone co can mang ko, co dung gps ko", ["bluezone co can mang ko", "co dung gps ko"]),
        (
            "Cho hỏi app có tốn pin không? Và có cần mạng 4g không?",
            ["Cho hỏi app có tốn pin không?", "Và có cần mạng 4g không?"],
        ),
        ("app có tốn pin ko z ad. Mà đăng ký sao vậy", ["app có tốn pin ko z ad", "Mà đăng ký sao vậy"]),
    ],
)
def test_two_questions_are_cut_apart(text, pieces):
    assert question_pieces(text, LEXICON) == pieces


@pytest.mark.parametrize(
    "text, pieces",
    [
        # Numbered or "thứ nhất / thứ hai": the markers go, the questions stay.
        ("1. Cài ở đâu? 2. Có tốn pin không?", ["Cài ở đâu?", "Có tốn pin không?"]),
        ("Thứ nhất, app có miễn phí không? Thứ hai, có cần 4G không?", ["app có miễn phí không?", "có cần 4G không?"]),
        # Called by name first, or the one asked named after the question.
        (
            "anh ơi cho tôi hỏi ai phải cài vậy, còn không cài thì sao",
            ["anh ơi cho tôi hỏi ai phải cài vậy", "còn không cài thì sao"],
        ),
        (
            "tải ở đâu vậy cháu, với lại có mất tiền không cháu",
            ["tải ở đâu vậy cháu", "với lại có mất tiền không cháu"],
        ),
        ("pin hao nhiều không mọi người, còn 4g thì sao", ["pin hao nhiều không mọi người", "còn 4g thì sao"]),
        # The question word inside, typed without accents.
        (
            "dung cach bao xa thi tinh, roi gan bao lau thi tinh",
            ["dung cach bao xa thi tinh", "roi gan bao lau thi tinh"],
        ),
        # A problem told, then a question.
        ("mở app lên không vào được, mà cập nhật ở đâu vậy", ["mở app lên không vào được", "mà cập nhật ở đâu vậy"]),
        # The questions introduced and numbered after a colon; the
        # introduction is not part of the first.
        (
            "Xin hỏi hai điều: 1. Tổng đài trực mấy giờ? 2. Gửi thư về địa chỉ nào?",
            ["Tổng đài trực mấy giờ?", "Gửi thư về địa chỉ nào?"],
        ),
        # Numbered "1) ... 2) ..." with no mark before the next number.
        (
            "cho hoi 1) bluezone ra doi tu luc nao, dung de lam gi 2) co phai app nha nuoc ko",
            ["cho hoi, bluezone ra doi tu luc nao, dung de lam gi", "co phai app nha nuoc ko"],
        ),
        # A letter's numbered requests, the second without a question word at its end.
        (
            "Kính gửi Sở. Tôi là trưởng ấp. Xin cho biết: 1) người già không có điện thoại thì sao; "
            "2) ấp cần tài liệu hướng dẫn thì liên hệ phòng nào để được cấp.",
            ["người già không có điện thoại thì sao", "ấp cần tài liệu hướng dẫn thì liên hệ phòng nào để được cấp"],
        ),
        # A question too short to ask alone ends the one before it.
        (
            "Máy em mở app là bị văng ra, sửa sao? Mà iPhone có phải mở app suốt không?",
            ["Máy em mở app là bị văng ra, sửa sao?", "Mà iPhone có phải mở app suốt không?"],
        ),
        # Asked outright, without a question mark.
        (
            "Tôi muốn hỏi app này là bắt buộc hay tự nguyện. Ngoài ra, vào chợ không có app thì có bị chặn không?",
            ["Tôi muốn hỏi app này là bắt buộc hay tự nguyện", "Ngoài ra, vào chợ không có app thì có bị chặn không?"],
        ),
        # One choice or the other ("không hay ...") asks a question.
        (
            "cài xong thì bấm gì tiếp theo, tải có tốn 4G không hay phải có wifi",
            ["cài xong thì bấm gì tiếp theo", "tải có tốn 4G không hay phải có wifi"],
        ),
        # "cho em xin ..." asks as "cho xin" and "cho tôi" do.
        (
            "cho em xin số tổng đài với, mà gọi vào đó có mất tiền không",
            ["cho em xin số tổng đài với", "mà gọi vào đó có mất tiền không"],
        ),
        # "và" opening a second "có ... không" that ends after a comma.
        (
            "App có lấy vị trí của tôi không và có xem được danh bạ, hình ảnh trong máy không?",
            ["App có lấy vị trí của tôi không", "và có xem được danh bạ, hình ảnh trong máy không?"],
        ),
        # Asking to ask opens the question after it.
        (
            "Ad ơi cho con hỏi, con cài rồi có cần đăng ký số không, bỏ qua được hông?",
            ["Ad ơi cho con hỏi, con cài rồi có cần đăng ký số không", "bỏ qua được hông?"],
        ),
        # Asking for more after a problem told is a question of its own, not
        # one drawn from a story; "mấy lần" far from the end is "several times".
        (
            "Cập nhật thì nó báo lỗi kết nối. Tôi cũng muốn hỏi lên PC-Covid có mất tài khoản không?",
            ["Cập nhật thì nó báo lỗi kết nối", "Tôi cũng muốn hỏi lên PC-Covid có mất tài khoản không?"],
        ),
        ("cài app ở đâu, phải cách ly mấy ngày nữa", ["cài app ở đâu", "phải cách ly mấy ngày nữa"]),
        (
            "mở app là bị văng ra, tắt máy mở lại mấy lần vẫn vậy. Cho hỏi thêm chỗ nào xét nghiệm?",
            ["mở app là bị văng ra", "tắt máy mở lại mấy lần vẫn vậy, Cho hỏi thêm chỗ nào xét nghiệm?"],
        ),
        # A numbered item keeps its commas: it ends where the next begins.
        (
            "1) Đã bật Bluetooth rồi sao app vẫn báo lỗi? "
            "2) Hôm trước lỡ bấm từ chối quyền vị trí, giờ muốn cấp lại thì vào đâu?",
            [
                "Đã bật Bluetooth rồi sao app vẫn báo lỗi?",
                "Hôm trước lỡ bấm từ chối quyền vị trí, giờ muốn cấp lại thì vào đâu?",
            ],
        ),
        # What comes before the first item goes with it; an item keeps a
        # problem told in it, and one after an introduction its commas.
        ("Chào ad. 1) app có tốn pin không? 2) cài ở đâu?", ["Chào ad, app có tốn pin không?", "cài ở đâu?"]),
        (
            "1) app báo lỗi, tôi đã thử cài lại. 2) mất bao lâu thì có mã?",
            ["app báo lỗi, tôi đã thử cài lại", "mất bao lâu thì có mã?"],
        ),
        (
            "Cho em hỏi: 1) Lỡ bấm từ chối quyền vị trí, giờ cấp lại ở đâu? 2) app có tốn pin không?",
            ["Lỡ bấm từ chối quyền vị trí, giờ cấp lại ở đâu?", "app có tốn pin không?"],
        ),
        # A question after the last item's question mark is not part of it.
        (
            "1) app có tốn pin không? 2) cài ở đâu? Ngoài ra cho hỏi thẻ xanh là gì?",
            ["app có tốn pin không?", "cài ở đâu?", "Ngoài ra cho hỏi thẻ xanh là gì?"],
        ),
        # Numbered "1. ...": the cut at the full stop leaves the number alone.
        (
            "1. app báo lỗi, tôi đã thử cài lại. 2. mất bao lâu thì có mã?",
            ["app báo lỗi, tôi đã thử cài lại", "mất bao lâu thì có mã?"],
        ),
        # A sentence of a story before the list stays apart from its first item.
        (
            "Tôi là F1 của một ca bệnh ở quận 7. 1) tôi phải cách ly bao lâu; 2) có cần xét nghiệm không",
            ["Tôi là F1 của một ca bệnh ở quận 7", "tôi phải cách ly bao lâu", "có cần xét nghiệm không"],
        ),
        # A weekday after a colon is not an ordinal of a list.
        (
            "Lịch trực hotline: thứ hai, tôi gọi mãi không ai nghe, mấy giờ thì gọi được?",
            ["Lịch trực hotline: thứ hai, tôi gọi mãi không ai nghe", "mấy giờ thì gọi được?"],
        ),
        # Items after ordinals, the introduction dropped.
        (
            "Kính gửi Sở. Đề nghị Sở cho biết: thứ nhất, công ty gặp khó khăn khi triển khai thì liên hệ "
            "bộ phận nào; thứ hai, theo quy định những ai thuộc diện phải cài ứng dụng.",
            [
                "công ty gặp khó khăn khi triển khai thì liên hệ bộ phận nào",
                "theo quy định những ai thuộc diện phải cài ứng dụng",
            ],
        ),
        # A request in southern words ("chỉ giùm", "chỉ dùm") asks as a question does.
        (
            "Chỉ giùm tui cách quét mã, với lại quét xong có phải ghi sổ nữa không?",
            ["Chỉ giùm tui cách quét mã", "với lại quét xong có phải ghi sổ nữa không?"],
        ),
        # The hour asked before what is done then.
        ("hotline số mấy vậy, mấy giờ thì gọi được", ["hotline số mấy vậy", "mấy giờ thì gọi được"]),
    ],
)
def test_how_people_write_two_questions(text, pieces):
    assert question_pieces(text, LEXICON) == pieces


@pytest.mark.parametrize(
    "text",
    [
        "Tôi ở nhà một mình, sao lại có tiếp xúc?",
        "Máy tôi là iPhone 6, có cài được không ạ?",
        "Kính gửi Sở. Tôi là giáo viên ở Mỹ Xuyên. Xin hỏi cài Bluezone ở đâu ạ?",
        "Android 10.3 có được không?",
        "dạ em cảm ơn ạ",
        "tôi mới mua máy, hôm qua bị đau",
        # "cho em xin lỗi" apologises; it asks nothing.
        "cho em xin lỗi, cài có mất tiền không",
        "cho em xin cảm ơn, mà cài có mất tiền không",
        # A question phrase before "cũng" is "whatever": it asks nothing.
        "Cài app ở đâu, vô chỗ nào cũng bắt quét mã hết",
        # A Monday, not the second item of a list; Monday and Tuesday.
        "Hôm thứ hai, tôi đi tiêm mũi 2, giờ bị sốt có sao không?",
        "Thứ hai, tôi đi tiêm mũi 2, về thì app báo vàng. Thứ ba, tôi đi khám lại, có phải khai báo không?",
        # Several hours, not the hour asked.
        "Tôi chờ mấy giờ liền ở bệnh viện, có người ho sốt bên cạnh, tôi có phải khai báo không?",
        # Typed without accents, "may gio" is the phone now, not the hour.
        "cai lai bluezone o dau, may gio thi day bo nho roi",
    ],
)
def test_a_story_before_one_question_stays_whole(text):
    assert question_pieces(text, LEXICON) == [text]


@pytest.mark.parametrize(
    "text",
    [
        # The story tells a problem and holds a question word; the question is drawn from it.
        "Tôi đi chợ mỗi ngày mà mở app không thấy ai xung quanh. Tôi có bật Bluetooth. Vậy tại sao nó không quét được ai?",
        "máy tui mở bluezone lên không vào được, báo lỗi hoài. vay gio phai lam sao",
        "Tôi là F1, xét nghiệm ở trạm y tế mà đợi mãi không thấy kết quả. Xin hỏi tôi cách ly mấy ngày?",
        "Công ty bắt cài app mới cho vào cổng, máy tôi cài hoài không được. Như vậy tôi có bị cho nghỉ việc không?",
        "Tôi đã tiêm hai mũi mà đợi mãi không thấy cập nhật trên app. Tôi xin hỏi giờ phải báo ai?",
        # "Con" asking, not "còn" (also).
        "Máy tôi cứ báo lỗi, không mở được. Con muốn hỏi giờ phải làm sao?",
    ],
)
def test_a_story_then_one_question_drawn_from_it_stays_whole(text):
    assert question_pieces(text, LEXICON) == [text]


@pytest.mark.parametrize(
    "text, pieces",
    [
        # A question before "vậy" is a question of its own.
        (
            "Bluezone có tốn pin không. Vậy có cần bật 4G không?",
            ["Bluezone có tốn pin không", "Vậy có cần bật 4G không?"],
        ),
        ("Cài ở đâu? Xin hỏi có mất tiền không?", ["Cài ở đâu?", "Xin hỏi có mất tiền không?"]),
        # "Vậy còn..." asks about something else.
        ("Mở app lên không vào được. Vậy còn 4G thì sao?", ["Mở app lên không vào được", "Vậy còn 4G thì sao?"]),
    ],
)
def test_a_question_before_the_closing_one_is_still_asked(text, pieces):
    assert question_pieces(text, LEXICON) == pieces


def parse(intent, key, confidence=0.9):
    return {"intent": {"name": intent, "confidence": confidence, "full_retrieval_intent_name": key}}


ANSWERABLE = ["ask_install", "ask_battery_data", "ask_how_it_works"]


def test_two_confident_distinct_answers_are_two_questions():
    parts = [parse("ask_install", "ask_install/download_link"), parse("ask_battery_data", "ask_battery_data/x")]
    assert split_decision(parse("ask_install", "ask_install/overview"), parts, ANSWERABLE, 0.6) == parts


@pytest.mark.parametrize(
    "parts, whole",
    [
        # One piece is not a question the bot answers from its knowledge.
        ([parse("ask_install", "ask_install/a"), parse("greet", None)], "ask_install"),
        # One piece is unsure.
        ([parse("ask_install", "ask_install/a"), parse("ask_battery_data", "ask_battery_data/b", 0.4)], "ask_install"),
        # The same answer twice.
        ([parse("ask_install", "ask_install/a"), parse("ask_install", "ask_install/a")], "ask_install"),
        # The whole message is about something else: a story, not two questions.
        ([parse("ask_install", "ask_install/a"), parse("ask_battery_data", "ask_battery_data/b")], "ask_how_it_works"),
    ],
)
def test_otherwise_one_question(parts, whole):
    assert split_decision(parse(whole, None), parts, ANSWERABLE, 0.6) is None


def asked(intent, key, text, confidence=0.9):
    return {**parse(intent, key, confidence), "text": text}


def test_an_unsure_piece_that_only_tells_goes_with_the_question_before_or_after_it():
    problem = asked("ask_install", "ask_install/a", "Khai báo trên app bấm gửi hoài không được")
    more = asked("ask_how_it_works", "ask_how_it_works/c", "cứ quay vòng vòng rồi báo lỗi", 0.2)
    still = asked("ask_battery_data", "ask_battery_data/b", "bây giờ có còn phải khai báo không?")
    whole = parse("ask_install", "ask_install/a")
    assert split_decision(whole, [problem, more, still], ANSWERABLE, 0.6) == [problem, still]
    assert split_decision(whole, [more, problem, still], ANSWERABLE, 0.6) == [problem, still]
    # Asked in words, it asks a question of its own, unsure: no split.
    assert split_decision(whole, [problem, more, still], ANSWERABLE, 0.6, asking=[1]) is None


def test_a_question_asked_again_is_answered_once_in_the_order_first_asked():
    parts = [
        asked("ask_install", "ask_install/a", "Cài ở đâu?"),
        asked("ask_battery_data", "ask_battery_data/b", "Có tốn pin không?"),
        asked("ask_install", "ask_install/a", "và tải bản nào?", 0.4),
    ]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6) == parts[:2]


def test_the_surest_reading_of_a_question_asked_twice_is_kept():
    parts = [
        asked("ask_install", "ask_install/a", "Cài ở đâu?", 0.7),
        asked("ask_battery_data", "ask_battery_data/b", "Có tốn pin không?"),
        asked("ask_install", "ask_install/a", "Tải ở đâu?", 0.95),
    ]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6) == [parts[2], parts[1]]


def test_a_question_asked_twice_after_a_story_told_is_one_question():
    parts = [
        asked("ask_battery_data", "ask_battery_data/b", "Máy tui đầy bộ nhớ, chụp hình không được."),
        asked("ask_install", "ask_install/a", "cháu nói gỡ bớt ứng dụng, gỡ Bluezone được không"),
        asked("ask_install", "ask_install/a", "gỡ rồi có mất gì không?"),
    ]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6) is None


def test_a_question_asked_twice_needs_one_sure_reading():
    parts = [
        asked("ask_install", "ask_install/a", "Cài ở đâu?", 0.4),
        asked("ask_battery_data", "ask_battery_data/b", "Có tốn pin không?"),
        asked("ask_install", "ask_install/a", "tải ở đâu?", 0.4),
    ]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6) is None


def ranked(text, *confidences):
    ranking = [{"name": f"t{i}", "confidence": c} for i, c in enumerate(confidences)]
    return {"text": text, "intent": ranking[0], "intent_ranking": ranking}


def test_a_short_piece_is_confident_when_it_clearly_leads():
    assert confident(ranked("cài ở đâu", 0.44, 0.16), 0.55)
    assert not confident(ranked("cài ở đâu", 0.44, 0.30), 0.55)
    assert confident(ranked("mà phải đứng gần bao lâu nữa z", 0.44, 0.16), 0.55)
    assert not confident(ranked("tôi ở nhà một mình cả ngày mà sao", 0.44, 0.16), 0.55)
    assert confident(ranked("tôi ở nhà một mình cả ngày mà sao", 0.6, 0.3), 0.55)


def test_the_names_a_citizen_adds_after_a_question_do_not_make_it_long():
    assert confident(ranked("với cả cài vô có tốn tiền không con", 0.52, 0.15), 0.55)
    assert confident(ranked("với cả cài vô có tốn tiền không mọi người", 0.52, 0.15), 0.55)
    assert not confident(ranked("với cả cài vô điện thoại có tốn tiền không", 0.52, 0.15), 0.55)


@pytest.mark.parametrize(
    "text, pieces",
    [
        # "khong" typed without accents in an accented message still ends a question.
        ("Tết về quê có phải cách ly khong, khai báo ở đâu?", ["Tết về quê có phải cách ly khong", "khai báo ở đâu?"]),
        # A connector starts a second question after one that has ended.
        (
            "Không cài có bị phạt không và căn cứ vào văn bản nào?",
            ["Không cài có bị phạt không", "và căn cứ vào văn bản nào?"],
        ),
        # A question phrase in the middle makes a question.
        (
            "đứng cách bao nhiêu mét thì mới tính, mà phải gần bao lâu",
            ["đứng cách bao nhiêu mét thì mới tính", "mà phải gần bao lâu"],
        ),
        # A short ending closes the question before it.
        (
            "thẻ vàng là gì vậy, tôi tiêm đủ mà app chỉ hiện một mũi, sửa sao",
            ["thẻ vàng là gì vậy", "tôi tiêm đủ mà app chỉ hiện một mũi, sửa sao"],
        ),
        # A problem told as a statement asks for help.
        (
            "Sao máy bắt bật vị trí vậy? Mà tôi bật hết rồi nó vẫn báo lỗi.",
            ["Sao máy bắt bật vị trí vậy?", "Mà tôi bật hết rồi nó vẫn báo lỗi"],
        ),
        # A formal request for two things: each keeps the opening; the greeting
        # and the closing stay with the requests.
        (
            "Kính gửi Sở. Xin cho biết địa chỉ thư điện tử của Bluezone và kênh góp ý chính thức. Trân trọng.",
            [
                "Kính gửi Sở, Xin cho biết địa chỉ thư điện tử của Bluezone",
                "Xin cho biết kênh góp ý chính thức, Trân trọng",
            ],
        ),
        # "mã" (a code) is not "mà": the second question stays whole.
        (
            "Mã OTP có hiệu lực bao lâu, sao gửi lại mã vẫn không thấy tin nhắn?",
            ["Mã OTP có hiệu lực bao lâu", "sao gửi lại mã vẫn không thấy tin nhắn?"],
        ),
        # "còn" after a closed "có ... không", or after "sao", starts the next question.
        (
            "có cách nào đỡ hao pin không còn bluetooth có cần bật suốt ngày không",
            ["có cách nào đỡ hao pin không", "còn bluetooth có cần bật suốt ngày không"],
        ),
        (
            "đổi sim thì cập nhật số sao còn lỡ bỏ qua đăng ký thì vào đâu",
            ["đổi sim thì cập nhật số sao", "còn lỡ bỏ qua đăng ký thì vào đâu"],
        ),
        # A letter's "Đồng thời xin cho biết A và B" asks for both.
        (
            "Đồng thời xin cho biết địa chỉ email liên hệ và giờ làm việc của đường dây hỗ trợ.",
            [
                "Đồng thời xin cho biết địa chỉ email liên hệ",
                "Đồng thời xin cho biết giờ làm việc của đường dây hỗ trợ",
            ],
        ),
        # A choice ("A hay B") asks.
        (
            "bắt buộc hay tự nguyện vậy ad, không cài có bị phạt không",
            ["bắt buộc hay tự nguyện vậy ad", "không cài có bị phạt không"],
        ),
        # "Tiện hỏi luôn" says another question follows, though the one
        # before ends in a choice, not a question word.
        (
            "bluezone la app that ko hay gia mao vay ad tien hoi luon dang ky can so dien thoai cua ai",
            ["bluezone la app that ko hay gia mao vay ad", "tien hoi luon dang ky can so dien thoai cua ai"],
        ),
        # "Vậy còn X" after a question asks about X.
        (
            "dung cach bao xa thi tinh la tiep xuc vay con tat bluetooth co ghi duoc khong",
            ["dung cach bao xa thi tinh la tiep xuc", "vay con tat bluetooth co ghi duoc khong"],
        ),
        # "còn" after "... được không", "bằng cách nào", or a Southern "hông".
        (
            "dien thoai ban phim dung duoc khong con may tinh bang thi cai o dau",
            ["dien thoai ban phim dung duoc khong", "con may tinh bang thi cai o dau"],
        ),
        (
            "khong co mang thi dang ky bang cach nao con lo nhap sai so thi sua sao",
            ["khong co mang thi dang ky bang cach nao", "con lo nhap sai so thi sua sao"],
        ),
        (
            "app có tốn pin hông còn mấy người lớn tuổi thì ai cài giùm",
            ["app có tốn pin hông", "còn mấy người lớn tuổi thì ai cài giùm"],
        ),
    ],
)
def test_questions_are_found_inside_pieces(text, pieces):
    assert question_pieces(text, LEXICON) == pieces


@pytest.mark.parametrize(
    "text, pieces",
    [
        (
            "Bluezone có tốn pin và có lấy vị trí của mình không?",
            ["Bluezone có tốn pin không", "Bluezone có lấy vị trí của mình không?"],
        ),
        (
            "Ứng dụng có làm chậm máy và gây nóng máy không ạ",
            ["Ứng dụng có làm chậm máy không", "Ứng dụng có gây nóng máy không ạ"],
        ),
        (
            "app co bat buoc va phai dang ky so dien thoai khong",
            ["app co bat buoc khong", "app co phai dang ky so dien thoai khong"],
        ),
        (
            "Tôi có nên tự cách ly và cũng cần đi xét nghiệm không?",
            ["Tôi có nên tự cách ly không", "Tôi có cần đi xét nghiệm không?"],
        ),
        # One "vì sao" asked of two things, each with a verb of its own.
        (
            "Tại sao phải mở Bluetooth suốt và cần cả quyền vị trí?",
            ["Tại sao phải mở Bluetooth suốt", "Tại sao cần cả quyền vị trí?"],
        ),
        ("vi sao app doi quyen bo nho va doi ca danh ba", ["vi sao app doi quyen bo nho", "vi sao doi ca danh ba"]),
        # A comma inside the second half.
        (
            "Cài Bluezone có tốn 4G và có làm máy nóng, chạy chậm không?",
            ["Cài Bluezone có tốn 4G không", "Cài Bluezone có làm máy nóng, chạy chậm không?"],
        ),
    ],
)
def test_two_questions_sharing_one_frame_are_each_asked_in_full(text, pieces):
    assert question_pieces(text, LEXICON) == pieces


@pytest.mark.parametrize(
    "text",
    [
        # Two things of one question, no verb of its own after "và".
        "Bluezone có tốn pin và dữ liệu di động không?",
        # One thing done for someone: "và" joins two steps of it.
        "Tôi có thể cài và đăng ký giùm ba mẹ không?",
        # One reason asked for two things needed, with no verb of its own after "và".
        "Vì sao Bluezone cần Bluetooth và định vị của máy?",
        # What was done, then one question after a comma.
        "Tui có cài app và có bật Bluetooth rồi, có phải đợi lâu mới thấy không?",
        "Tôi có đi chợ và có quét mã, có cần ghi sổ không?",
    ],
)
def test_and_inside_one_yes_no_question_does_not_cut(text):
    assert question_pieces(text, LEXICON) == [text]


@pytest.mark.parametrize(
    "text",
    [
        # "còn" meaning "still" is not a connector.
        "Giờ đi đâu còn phải khai báo y tế không?",
        "sao máy không còn quét được ai vậy",
        "nhà tôi có ông bà không còn đi lại được thì có cần cài không",
        "điện thoại nào còn dùng được bluezone không",
        # "con" typed among words with diacritics is a form of address.
        "máy của bà có cài được không con bà dùng máy cũ lắm có được không",
        # "hay": often, good.
        "máy tui hay bị treo hay tự tắt là sao",
        "máy oppo hay tự tắt bluezone, có cách nào không",
        "ứng dụng hay đó, mà sao tốn pin quá vậy",
        # "mà" inside one question.
        "Tại sao tôi ở nhà mà vẫn có tiếp xúc?",
        # "chưa" inside a statement does not end a question.
        "Tui xài điện thoại cục gạch nên chưa cài Bluezone. Ra xã có bị cản không?",
        # "Thêm nữa" closing a question is "more", not another question.
        "Đăng ký xong rồi thì còn phải cài đặt gì thêm nữa không ạ?",
        # "Vậy còn" before a verb is "still".
        "đi chợ có phải quét mã không vậy còn phải khai báo mỗi ngày không",
        # "Nhận tiền" (to receive money) is not "nhân tiện", nor typed
        # without diacritics; "hỏi thêm" alone is "ask further".
        "Có phải ra xã mới nhận tiền hỗ trợ không",
        "co phai ra xa moi nhan tien ho tro khong",
        "app không mở được thì hỏi thêm ở đâu",
        # In a message with diacritics, "vậy con" is a child.
        "tiêm ở đâu vậy con tôi 12 tuổi có được tiêm không",
        "tiêm xong phải chờ bao lâu thêm nữa nhỉ",
    ],
)
def test_connectors_inside_one_question_do_not_cut(text):
    assert question_pieces(text, LEXICON) == [text]


@pytest.mark.parametrize(
    "piece, another",
    [
        ("với có tốn 4G ko ad", True),
        ("voi co ton 4g ko", True),
        ("à mà cài có mất tiền không", True),
        ("còn máy tính thì sao", True),
        ("con may tinh thi sao", True),
        ("và tải ở đâu?", True),
        ("va co ton pin khong", True),
        ("và mở lên", False),
        ("vá lỗi chưa?", False),
        ("con tôi có cần cài không", False),
        ("đăng ký ở đâu", False),
        ("voi lai sao gui lai", False),
        ("với lại", False),
        # Announced after a connector.
        ("Mà tiện hỏi luôn giá lúa hôm nay bao nhiêu?", True),
        ("Mà tiện thể tôi đi chợ luôn", False),
    ],
)
def test_a_piece_opening_with_with_or_what_about_brings_up_another_question(piece, another):
    assert opens_another_question(piece, LEXICON) is another


def test_pieces_asking_in_words_count_as_asked_within_a_sentence_that_asks():
    parts = [
        asked("ask_install", "ask_install/a", "PC-Covid khác Bluezone ở chỗ nào"),
        asked("ask_install", "ask_install/a", "có thêm tính năng gì", 0.4),
        asked("ask_battery_data", "ask_battery_data/b", "còn trang web chính thức là trang nào?"),
    ]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6) is None
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6, asking=[0, 1, 2]) == [parts[0], parts[2]]
    text = ", ".join(part["text"] for part in parts)
    assert asked_in_words([part["text"] for part in parts], text, LEXICON) == [0, 1, 2]
    story = "Tôi hỏi cài ở đâu, mà hỏi mãi chẳng ai chỉ. Đường dây hỗ trợ làm việc giờ nào, có Zalo để hỏi không?"
    assert asked_in_words(question_pieces(story, LEXICON), story, LEXICON) == [2, 3]
    polite = "Chào ad. Cho em hỏi app có tốn pin không, cài ở đâu. Em cảm ơn ạ"
    assert asked_in_words(question_pieces(polite, LEXICON), polite, LEXICON) == [0, 1]
    unmarked = "sai nhiều lần có bị khoá ko. còn mã hết hạn thì lấy mã mới ở đâu"
    assert asked_in_words(question_pieces(unmarked, LEXICON), unmarked, LEXICON) == [0, 1]
    ate = "Nếu ăn ít thì không sao. Ăn nhiều thì bị nổi mẩn, vậy tiêm được không?"
    assert asked_in_words(question_pieces(ate, LEXICON), ate, LEXICON) == [1]
    told = "Tiêm xong ăn ít thì không sao, nhưng bị sốt thì có sao không?"
    assert asked_in_words(question_pieces(told, LEXICON), told, LEXICON) == [1]


def test_an_overview_asked_in_words_beside_one_of_its_answers_is_a_question_unless_a_few_words_restate():
    specific = asked("ask_install", "ask_install/a", "Bluezone có cài được trên laptop không")
    overview = asked("ask_install", "ask_install/overview", "à mà điện thoại thì cần cấu hình gì mới cài được")
    assert split_decision(parse("ask_install", None), [specific, overview], ANSWERABLE, 0.6) is None
    both = split_decision(parse("ask_install", None), [specific, overview], ANSWERABLE, 0.6, asking=[0, 1])
    assert both == [specific, overview]
    restated = [specific, asked("ask_install", "ask_install/overview", "bắt buộc hả")]
    assert split_decision(parse("ask_install", None), restated, ANSWERABLE, 0.6, asking=[0, 1]) is None


def test_an_unsure_piece_after_a_sure_one_of_its_topic_goes_on_with_it():
    parts = [
        asked("ask_install", "ask_install/a", "App này có phải của Nhà nước không?"),
        asked("ask_battery_data", "ask_battery_data/b", "Sao nó đòi số điện thoại?"),
        asked("ask_battery_data", "ask_battery_data/overview", "có bị lộ ra ngoài không?", 0.3),
    ]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6) == parts[:2]
    # After a sure piece of another topic, it is a question of its own, and unsure.
    reordered = [parts[1], parts[0], parts[2]]
    assert split_decision(parse("ask_install", None), reordered, ANSWERABLE, 0.6) is None


def test_a_topic_overview_beside_one_of_its_answers_is_one_question():
    parts = [parse("ask_install", "ask_install/a"), parse("ask_install", "ask_install/overview")]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6) is None


def test_a_topic_overview_and_one_of_its_answers_asked_as_two_questions_are_two():
    parts = [
        {**parse("ask_install", "ask_install/overview"), "text": "Cài thế nào?"},
        {**parse("ask_install", "ask_install/a"), "text": "Và gỡ ra có mất dữ liệu không?"},
    ]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6) == parts
    told_twice = [parts[0], {**parts[1], "text": "gỡ ra có mất dữ liệu không"}]
    assert split_decision(parse("ask_install", None), told_twice, ANSWERABLE, 0.6) is None
    asked_outright = [{**parts[0], "text": "Cho em hỏi cài thế nào ạ"}, parts[1]]
    assert split_decision(parse("ask_install", None), asked_outright, ANSWERABLE, 0.6) == asked_outright


def test_what_it_is_and_one_of_its_answers_are_two_questions_without_question_marks():
    parts = [
        {**parse("ask_install", "ask_install/overview"), "text": "Bluezone là gì vậy"},
        {**parse("ask_install", "ask_install/a"), "text": "gỡ ra có mất dữ liệu không"},
    ]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6) == parts
    told_twice = [{**parts[0], "text": "Bluezone báo lỗi hoài"}, parts[1]]
    assert split_decision(parse("ask_install", None), told_twice, ANSWERABLE, 0.6) is None


def test_a_message_too_mixed_to_read_whole_may_still_be_two_questions():
    parts = [parse("ask_install", "ask_install/a"), parse("ask_battery_data", "ask_battery_data/b")]
    assert split_decision(parse("nlu_fallback", None), parts, ANSWERABLE, 0.6) == parts


def answers(intent, confidence, *ranking):
    """A parse whose selector ranks (key, confidence) pairs, best first."""
    rows = [{"intent_response_key": key, "confidence": c} for key, c in ranking]
    best = ranking[0][0]
    return {
        "intent": {"name": intent, "confidence": confidence, "full_retrieval_intent_name": best},
        "response_selector": {"default": {"ranking": rows}},
    }


def test_a_piece_takes_the_answer_the_whole_message_is_about():
    whole = answers(
        "ask_registration", 0.8, ("ask_registration/otp_expired", 0.7), ("ask_registration/otp_incorrect", 0.03)
    )
    piece = answers(
        "ask_registration", 0.6, ("ask_registration/otp_incorrect", 0.5), ("ask_registration/otp_expired", 0.4)
    )
    [read] = in_light_of(whole, [piece], ["ask_registration"])
    assert read["intent"]["full_retrieval_intent_name"] == "ask_registration/otp_expired"
    assert read["intent"]["confidence"] == 0.6  # still as sure of its topic
    # Two such pieces are one question.
    assert split_decision(whole, [whole, read], ["ask_registration"], 0.45) is None


def test_a_piece_the_whole_message_barely_ranks_is_part_of_a_story():
    parts = [
        answers("ask_install", 0.8, ("ask_install/reinstall", 0.8)),
        answers("ask_how_it_works", 0.7, ("ask_how_it_works/contact_history", 0.7)),
    ]
    story = answers("ask_install", 0.8, ("ask_install/reinstall", 0.8), ("ask_how_it_works/contact_history", 0.01))
    two = answers("ask_install", 0.6, ("ask_install/reinstall", 0.6), ("ask_how_it_works/contact_history", 0.05))
    answerable = ["ask_install", "ask_how_it_works"]
    assert split_decision(story, parts, answerable, 0.6) is None
    assert split_decision(two, parts, answerable, 0.6) == parts


@pytest.mark.parametrize(
    "first_text, asking, split",
    [
        ("Bluezone là gì?", [0, 1], True),
        ("Bluezone là gì", [0, 1], True),
        # A problem told, not asked, before it: the same question.
        ("Bluezone báo lỗi hoài", [1], False),
    ],
)
def test_a_short_question_the_whole_message_reads_best_is_asked_where_each_piece_asks(first_text, asking, split):
    overview = with_text(answers("ask_install", 0.69, ("ask_install/overview", 0.63)), first_text)
    cost = with_text(answers("ask_install", 0.36, ("ask_install/free", 0.36)), "có mất tiền không")
    whole = answers("ask_install", 0.8, ("ask_install/free", 0.53), ("ask_install/overview", 0.25))
    expected = [overview, cost] if split else None
    assert split_decision(whole, [overview, cost], ["ask_install"], 0.55, asking=asking) == expected


def test_asking_what_a_thing_is_keeps_the_overview_whatever_the_whole_reads():
    what = with_text(
        answers("ask_pc_covid", 0.81, ("ask_pc_covid/overview", 0.26), ("ask_pc_covid/website", 0.16)),
        "PC-Covid là gì?",
    )
    whole = answers("ask_pc_covid", 0.64, ("ask_pc_covid/website", 0.58), ("ask_pc_covid/overview", 0.02))
    assert in_light_of(whole, [what], ["ask_pc_covid"]) == [what]
    told = with_text(what, "PC-Covid bị lỗi")
    [read] = in_light_of(whole, [told], ["ask_pc_covid"])
    assert read["intent"]["full_retrieval_intent_name"] == "ask_pc_covid/website"


@pytest.mark.parametrize("opened, split", [((1,), True), ((), False)])
def test_a_question_opened_in_words_after_a_story_is_asked_however_unsure_and_unranked(opened, split):
    problem = with_text(
        answers("report_app_error", 0.77, ("report_app_error/not_recording_background", 0.73)),
        "khóa máy là nó ngừng luôn, vậy có phải lỗi không, sửa sao?",
    )
    data = with_text(
        answers("ask_battery_data", 0.32, ("ask_battery_data/mobile_data", 0.22)),
        "Với lại để nó chạy suốt vậy có tốn 4G không?",
    )
    whole = answers("report_app_error", 0.62, ("report_app_error/not_recording_background", 0.59))
    answerable = ["report_app_error", "ask_battery_data"]
    expected = [problem, data] if split else None
    assert split_decision(whole, [problem, data], answerable, 0.55, opened=opened) == expected


@pytest.mark.parametrize(
    "text, going_on, split",
    [
        ("và Sở đã có văn bản nào hướng dẫn chưa?", (), True),
        # The same words without a question mark may be a sentence of a story.
        ("và Sở đã có văn bản nào hướng dẫn", (), False),
        # Read with the piece before ("còn X thì sao"), its confidence is not its own.
        ("còn văn bản của Sở thì sao?", (1,), False),
    ],
)
def test_a_confident_question_with_its_own_mark_is_asked_though_the_whole_barely_ranks_it(text, going_on, split):
    duties = with_text(
        answers("ask_mandatory", 0.7, ("ask_mandatory/agency_duties", 0.7)),
        "xin hỏi đơn vị phải làm những việc gì để triển khai Bluezone",
    )
    letters = with_text(answers("ask_mandatory", 0.62, ("ask_mandatory/department_letters", 0.5)), text)
    whole = answers(
        "ask_mandatory", 0.72, ("ask_mandatory/agency_duties", 0.67), ("ask_mandatory/department_letters", 0.01)
    )
    expected = [duties, letters] if split else None
    assert split_decision(whole, [duties, letters], ["ask_mandatory"], 0.55, going_on) == expected


@pytest.mark.parametrize(
    "text, key, split",
    [
        ("PC-Covid là gì vậy", "ask_pc_covid/overview", True),
        # "là gì" in a sentence read as another answer is part of a story.
        ("tôi biết PC-Covid là gì rồi", "ask_pc_covid/features_difference", False),
        # An overview not asked for is the same problem told twice.
        ("PC-Covid mới ra", "ask_pc_covid/overview", False),
    ],
)
def test_asking_what_a_thing_is_is_a_question_though_the_whole_barely_ranks_it(text, key, split):
    what = with_text(answers("ask_pc_covid", 0.83, (key, 0.32)), text)
    data = with_text(
        answers("ask_pc_covid", 0.64, ("ask_pc_covid/data_carried_over", 0.64)),
        "lên đó thì dữ liệu Bluezone cũ có mất không?",
    )
    whole = answers("ask_pc_covid", 0.9, ("ask_pc_covid/data_carried_over", 0.86), (key, 0.01))
    assert split_decision(whole, [what, data], ["ask_pc_covid"], 0.55) == ([what, data] if split else None)


def test_a_piece_on_another_topic_keeps_its_own_answer():
    whole = answers("ask_install", 0.8, ("ask_install/download_link", 0.7))
    piece = answers(
        "ask_battery_data", 0.7, ("ask_battery_data/battery_drain", 0.6), ("ask_install/download_link", 0.1)
    )
    assert in_light_of(whole, [piece], ["ask_install", "ask_battery_data"]) == [piece]


def whole_reading(intent, confidence, *ranking):
    """A whole message's parse: its answers, and its topics ranked with
    their answers added up, as bot.nlu.topic_answer ranks them."""
    topics = {}
    for key, c in ranking:
        topics[key.partition("/")[0]] = topics.get(key.partition("/")[0], 0.0) + c
    ranked = sorted(topics.items(), key=lambda item: -item[1])
    return {
        **answers(intent, confidence, *ranking),
        "intent_ranking": [{"name": t, "confidence": c} for t, c in ranked],
    }


def with_text(part, text, answer=None):
    intent = {**part["intent"], "full_retrieval_intent_name": answer or part["intent"]["full_retrieval_intent_name"]}
    return {**part, "text": text, "intent": intent}


@pytest.mark.parametrize("share, split", [(0.43, True), (0.2, False)])
def test_an_unsure_piece_ranking_another_pieces_answer_high_asks_it_again(share, split):
    unsure = with_text(
        answers(
            "ask_install", 0.3, *sorted([("ask_battery_data/b", share), ("ask_install/a", 0.40)], key=lambda kc: -kc[1])
        ),
        "Sao đòi số điện thoại",
        "ask_install/a",
    )
    why = with_text(answers("ask_battery_data", 0.9, ("ask_battery_data/b", 0.9)), "số đó ai giữ?")
    skip = with_text(answers("ask_how_it_works", 0.9, ("ask_how_it_works/c", 0.9)), "không nhập có được không?")
    whole = answers(
        "ask_battery_data", 0.8, ("ask_battery_data/b", 0.6), ("ask_how_it_works/c", 0.2), ("ask_install/a", 0.1)
    )
    expected = [why, skip] if split else None
    assert split_decision(whole, [unsure, why, skip], ANSWERABLE, 0.6, asking=[0]) == expected


STOP = "Cho tôi hỏi khi nào thì được thôi dùng ứng dụng này?"


@pytest.mark.parametrize(
    "text, alone, whole_share, split",
    [
        (STOP, 0.45, 0.3, True),  # asked, and the whole ranks it second
        (STOP.rstrip("?"), 0.45, 0.3, True),  # asked outright ("Cho tôi hỏi...")
        ("khi nào thì được thôi dùng ứng dụng này", 0.45, 0.3, False),  # neither marked nor asked outright
        (STOP, 0.45, 0.05, False),  # the whole barely ranks it
        (STOP, 0.3, 0.3, False),  # too unsure read alone
        ("Kính gửi Quý Sở, tôi xin hỏi khi nào thì được dừng dùng Bluezone", 0.45, 0.3, True),  # asked outright
        ("Kính gửi Quý Sở, khi nào thì được dừng dùng Bluezone", 0.45, 0.3, False),
    ],
)
def test_an_unsure_question_the_whole_message_ranks_near_the_top_is_asked(text, alone, whole_share, split):
    gate = with_text(answers("ask_install", 0.9, ("ask_install/a", 0.9)), "Ở cổng bắt cài, có bắt buộc không?")
    stop = with_text(answers("ask_battery_data", alone, ("ask_battery_data/b", alone)), text)
    whole = whole_reading("ask_install", 0.8, ("ask_install/a", 0.6), ("ask_battery_data/b", 0.6 * whole_share))
    assert split_decision(whole, [gate, stop], ANSWERABLE, 0.6) == ([gate, stop] if split else None)


@pytest.mark.parametrize(
    "first, second, alone, split",
    [
        ("Bluezone có tác dụng gì?", "Cách cài đặt như thế nào?", 0.46, True),
        ("Bluezone có tác dụng gì", "Cách cài đặt như thế nào?", 0.46, False),  # not each asked with a mark
        ("Bluezone có tác dụng gì?", "Cách cài đặt như thế nào?", 0.3, False),  # too unsure
        ("Hồi tháng trước ở cơ quan người ta nói tác dụng của nó là gì?", "Cách cài đặt như thế nào?", 0.46, False),
    ],
)
def test_short_questions_each_with_a_question_mark_are_asked_one_by_one(first, second, alone, split):
    what = with_text(answers("ask_how_it_works", alone, ("ask_how_it_works/a", alone)), first)
    # Read alone it does not clearly lead its runner-up either.
    what["intent_ranking"] = [
        {"name": "ask_how_it_works", "confidence": alone},
        {"name": "ask_mandatory", "confidence": 0.3},
    ]
    how = with_text(answers("ask_install", 0.9, ("ask_install/a", 0.9)), second)
    whole = answers("ask_install", 0.8, ("ask_install/a", 0.6), ("ask_how_it_works/a", 0.03))
    assert split_decision(whole, [what, how], ANSWERABLE, 0.6) == ([what, how] if split else None)


@pytest.mark.parametrize(
    "how_it_works_answers, split",
    [
        # Its topic is second once its answers are added up, though no
        # single answer of it is among the whole's best two.
        ((("ask_how_it_works/overview", 0.14), ("ask_how_it_works/a", 0.12)), True),
        # Its topic is third.
        ((("ask_how_it_works/a", 0.12),), False),
    ],
)
def test_an_unsure_question_whose_topic_the_whole_message_ranks_second_is_asked(how_it_works_answers, split):
    what = with_text(answers("ask_install", 0.9, ("ask_install/a", 0.9)), "Ứng dụng này là gì")
    detects = with_text(
        answers("ask_how_it_works", 0.47, ("ask_how_it_works/a", 0.25), ("ask_how_it_works/overview", 0.18)),
        "và nó phát hiện người nhiễm như thế nào?",
    )
    whole = whole_reading(
        "ask_install", 0.6, ("ask_install/a", 0.36), ("ask_battery_data/b", 0.16), *how_it_works_answers
    )
    assert split_decision(whole, [what, detects], ANSWERABLE, 0.55) == ([what, detects] if split else None)


@pytest.mark.parametrize(
    "text, asking",
    [
        (
            "Em năm nay 40 tuổi, đang uống thuốc huyết áp. Em có tiêm vắc xin được không?",
            "Em có tiêm vắc xin được không?",
        ),
        # The last sentence that asks, though a statement follows it.
        ("Máy tui đầy bộ nhớ. Gỡ app có mất lịch sử không? Tui cảm ơn.", "Gỡ app có mất lịch sử không?"),
        ("Máy tui đầy bộ nhớ.\ngỡ app ra có sao ko", "gỡ app ra có sao ko"),
        # Of two asking sentences, the last; thanks after it do not ask.
        (
            "Bluezone có tốn pin không? Tui xài máy cũ. Vậy để chạy nền suốt có sao không? Cho tôi cảm ơn.",
            "Vậy để chạy nền suốt có sao không?",
        ),
        ("Máy tui cũ… Gỡ app ra có mất lịch sử không?", "Gỡ app ra có mất lịch sử không?"),
        # One sentence: the whole message is the question.
        ("gỡ app có mất lịch sử không", None),
        ("Gỡ app có mất lịch sử không? 🙏", None),
        # No sentence asks.
        ("Máy tui đầy bộ nhớ. Tui đã gỡ app rồi.", None),
    ],
)
def test_the_asking_sentence_is_the_last_that_asks(text, asking):
    assert asking_sentence(text, LEXICON) == asking


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Vậy có phải lỗi không, sửa sao? Với lại để nó chạy suốt vậy có tốn 4G không?", [1]),
        ("có mất phí không, và tải ở đâu?", [1]),
        # "và" inside a sentence may go on with the same question.
        ("đây có phải phản ứng của vắc xin không và tôi cần liên hệ nơi nào?", []),
        # "còn" is also "still".
        ("Không có mạng thì có ghi không, còn cảnh báo được không?", []),
        ("Cài ở đâu vậy ad\nVới lại có tốn pin không?", [1]),
    ],
)
def test_a_piece_set_apart_that_opens_with_with_or_and_opens_another_question(text, expected):
    pieces = question_pieces(text, LEXICON)
    assert len(pieces) == 2
    assert opened(pieces, text, LEXICON) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # The second item opens with a condition, not with question words.
        (
            "Chào Sở! Tôi ở Mỹ Xuyên, xin hỏi 2 câu: 1. Tôi muốn tiêm loại có trả phí thì khi nào "
            "tiêm được? 2. Nếu xã tiêm miễn phí cho mọi người thì khi nào tới lượt tôi? Xin cảm ơn!",
            [1],
        ),
        ("hỏi 2 câu: 1) cài ở đâu 2) có tốn pin không", [1]),
        # Numbered, but not from 1.
        ("Cài ở đâu vậy? 2. Nếu ở nhà thì có cần bật Bluetooth không?", []),
    ],
)
def test_an_item_of_a_numbered_list_that_asks_is_opened(text, expected):
    pieces = question_pieces(text, LEXICON)
    assert len(pieces) == 2
    assert opened(pieces, text, LEXICON) == expected


def test_a_question_announced_inside_a_sentence_is_opened():
    text = "Bluezone có mất phí không nhân tiện cho hỏi cài trên máy tính được không"
    pieces = question_pieces(text, LEXICON)
    assert len(pieces) == 2
    assert opened(pieces, text, LEXICON) == [1]


@pytest.mark.parametrize("opened, split", [((2,), True), ((), False)])
def test_a_question_opened_in_words_makes_the_questions_before_it_asked(opened, split):
    # Two pieces of one question, neither with a mark, then an announced one
    # the whole message reads best: without the announcement, the first
    # question is not asked outright and the whole barely ranks it.
    first = with_text(
        answers("ask_battery_data", 0.74, ("ask_battery_data/keep_bluetooth_on", 0.7)),
        "bluetooth có phải mở cả ngày không",
    )
    again = with_text(
        answers("ask_battery_data", 0.4, ("ask_battery_data/keep_bluetooth_on", 0.35)), "ban đêm tắt được không"
    )
    other = with_text(
        answers("ask_battery_data", 0.75, ("ask_battery_data/storage_space", 0.7)), "tiện hỏi app nặng bao nhiêu MB"
    )
    whole = answers(
        "ask_battery_data", 0.8, ("ask_battery_data/storage_space", 0.8), ("ask_battery_data/keep_bluetooth_on", 0.01)
    )
    expected = [first, other] if split else None
    assert split_decision(whole, [first, again, other], ["ask_battery_data"], 0.55, asking=[0, 1], opened=opened) == (
        expected
    )


@pytest.mark.parametrize("second_marked, split", [(True, True), (False, False)])
def test_questions_each_asked_outright_are_asked_though_the_whole_reads_a_third_topic(second_marked, split):
    first = with_text(
        answers("ask_how_it_works", 0.7, ("ask_how_it_works/background", 0.7)), "khóa màn hình app còn quét không?"
    )
    second = with_text(
        answers("ask_how_it_works", 0.8, ("ask_how_it_works/no_contacts_found", 0.8)),
        "sao không quét được ai?" if second_marked else "sao không quét được ai",
    )
    whole = answers(
        "report_app_error",
        0.5,
        ("report_app_error/not_recording_background", 0.5),
        ("ask_how_it_works/background", 0.4),
    )
    answerable = ["ask_how_it_works", "report_app_error"]
    expected = [first, second] if split else None
    assert split_decision(whole, [first, second], answerable, 0.55) == expected


@pytest.mark.parametrize(
    "text, first",
    [
        # A colon after what is asked about introduces the questions.
        ("Tôi hỏi 2 việc: 1. App có tốn pin không? 2. Cài ở đâu?", "App có tốn pin không?"),
        # After anything else, what is before it belongs to the question.
        ("App báo lỗi: không có mạng thì sửa sao? Còn tải lại ở đâu?", "App báo lỗi: không có mạng thì sửa sao?"),
    ],
)
def test_the_first_question_is_read_without_its_introduction_only(text, first):
    assert question_pieces(text, LEXICON)[0] == first


def test_a_date_at_the_start_of_a_sentence_is_no_list_item():
    text = "Tôi tiêm mũi 1 hôm 2/10. 16/10 tôi bị nổi mẩn khắp người. Vậy mũi 2 có tiêm được không? Tiêm ở đâu?"
    assert len(question_pieces(text, LEXICON)) == 2


@pytest.mark.parametrize("ranked_by_whole, asked", [(0.0, 2), (0.2, 3)])
def test_an_unsure_piece_backed_only_by_its_topic_goes_on_with_the_question_before(ranked_by_whole, asked):
    who = with_text(
        answers("ask_privacy", 0.64, ("ask_privacy/what_others_see", 0.6)), "người đứng gần có biết tôi là ai không"
    )
    number = with_text(answers("ask_privacy", 0.51, ("ask_privacy/phone_number", 0.5)), "có thấy số của tôi không?")
    hacked = with_text(
        answers("ask_privacy", 0.8, ("ask_privacy/bluetooth_security", 0.8)), "Với lại bật Bluetooth có bị hack không?"
    )
    ranking = [("ask_privacy/bluetooth_security", 0.8), ("ask_privacy/what_others_see", 0.1)]
    if ranked_by_whole:
        ranking.append(("ask_privacy/phone_number", ranked_by_whole))
    whole = whole_reading("ask_privacy", 0.9, *ranking)
    # Ranked by the whole message, the number is a question of its own.
    expected = [who, hacked] if asked == 2 else [who, number, hacked]
    result = split_decision(whole, [who, number, hacked], ["ask_privacy"], 0.55, asking=[0, 1, 2], opened=[2])
    assert result == expected


def test_a_question_going_on_with_what_about_counts_as_asked_beside_a_question_told_in_two_pieces():
    where = with_text(
        answers("ask_exposure_warning", 0.24, ("ask_exposure_warning/how_warnings_work", 0.23)), "Bluezone dựa vào đâu"
    )
    knows = with_text(
        answers("ask_exposure_warning", 0.71, ("ask_exposure_warning/how_warnings_work", 0.41)),
        "mà biết tôi đã gặp ca bệnh để báo vậy?",
    )
    upload = with_text(
        answers("ask_exposure_warning", 0.62, ("ask_exposure_warning/upload_history", 0.57)),
        "Còn cái gửi lịch sử tiếp xúc thì làm thế nào",
    )
    told = with_text(
        answers("ask_health_declaration", 0.36, ("ask_health_declaration/declaration_problems", 0.35)),
        "tôi bấm gửi mà nó báo lỗi hoài",
    )
    whole = whole_reading(
        "ask_exposure_warning",
        0.81,
        ("ask_exposure_warning/how_warnings_work", 0.44),
        ("ask_exposure_warning/upload_history", 0.34),
    )
    topics = ["ask_exposure_warning", "ask_health_declaration"]
    parts = [where, knows, upload, told]
    assert split_decision(whole, parts, topics, 0.55, going_on=[2], asking=[0, 1]) == [knows, upload]


@pytest.mark.parametrize(
    "text, asking",
    [
        # The last sentence asks in each of its pieces, though it does not end asking.
        (
            "pc-covid khac bluezone cho nao, co them chuc nang gi? the xanh the vang tren do la gi, "
            "lam sao de duoc the xanh",
            [0, 1, 2, 3],
        ),
        # One of its pieces tells, or holds a question word only inside a
        # statement ("không ai nghe"), or means "whatever" ("ở đâu ... cũng").
        ("App có tốn pin không? Thẻ xanh là gì, tôi cài rồi mà chưa thấy", [0]),
        ("Mũi 2 cách mũi 1 bao lâu? Tôi gọi hotline mãi mà không ai nghe", [0]),
        ("Khai báo y tế ở đâu? Ở đâu tôi cũng tìm rồi", [0]),
    ],
)
def test_the_last_sentence_asks_when_each_of_its_pieces_asks_in_words(text, asking):
    assert asked_in_words(question_pieces(text, LEXICON), text, LEXICON) == asking


def test_a_problem_told_twice_beside_another_question_is_that_problem_and_the_other_question():
    crash = asked("ask_install", "ask_install/a", "máy cứ hiện 'Bluezone đã dừng'")
    again = asked("ask_install", "ask_install/overview", "mở lên là tự tắt, sửa sao vậy")
    other = asked("ask_battery_data", "ask_battery_data/b", "mà nếu gỡ ra cài lại thì lịch sử cũ còn không?")
    assert split_decision(parse("ask_install", None), [crash, again, other], ANSWERABLE, 0.6) == [crash, other]


@pytest.mark.parametrize("own, others, keeps", [(0.5, 0.17, True), (0.3, 0.2, False)])
def test_a_piece_sure_of_its_answer_is_not_drawn_to_the_answer_another_piece_asks(own, others, keeps):
    whole = answers("ask_install", 0.88, ("ask_install/register", 0.74), ("ask_install/spread", 0.05))
    register = answers("ask_install", 0.79, ("ask_install/register", 0.62), ("ask_install/cost", 0.13))
    spread = answers("ask_install", 0.82, ("ask_install/spread", own), ("ask_install/register", others))
    [first, second] = in_light_of(whole, [register, spread], ["ask_install"])
    assert first == register
    expected = "ask_install/spread" if keeps else "ask_install/register"
    assert second["intent"]["full_retrieval_intent_name"] == expected


def test_a_piece_keeps_its_own_best_answer_though_another_piece_asks_it_more_surely():
    whole = answers("ask_install", 0.9, ("ask_install/overview", 0.6), ("ask_install/update", 0.3))
    what = answers("ask_install", 1.0, ("ask_install/overview", 1.0))
    renamed = answers("ask_install", 0.87, ("ask_install/overview", 0.65), ("ask_install/update", 0.17))
    assert in_light_of(whole, [what, renamed], ["ask_install"]) == [what, renamed]


@pytest.mark.parametrize("opened, split", [((2,), True), ((), False)])
def test_a_problem_told_in_two_pieces_is_asked_when_a_question_opened_in_words_follows(opened, split):
    problem = asked("ask_install", "ask_install/a", "quét mã khai báo mà nó báo lỗi hoài")
    more = with_text(answers("ask_install", 0.3, ("ask_install/a", 0.2)), "bấm gửi không được")
    still = asked("ask_battery_data", "ask_battery_data/b", "Ngoài ra cho hỏi bây giờ có phải khai báo mỗi ngày không?")
    parts = [problem, more, still]
    expected = [problem, still] if split else None
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.6, opened=opened) == expected


@pytest.mark.parametrize("ranked_by_whole, split", [(0.0, True), (0.1, False)])
def test_an_asked_piece_read_as_barely_anything_and_unranked_by_the_whole_goes_with_the_one_before(
    ranked_by_whole, split
):
    what = with_text(answers("ask_install", 0.83, ("ask_install/overview", 0.37)), "PC-Covid là cái gì vậy")
    renamed = with_text(
        answers("ask_how_it_works", 0.22, ("ask_how_it_works/c", 0.19)), "có phải Bluezone đổi tên không"
    )
    still = with_text(answers("ask_install", 0.7, ("ask_install/still", 0.5)), "Mà giờ còn cần để trong máy nữa không?")
    whole = answers(
        "ask_install",
        0.8,
        ("ask_install/overview", 0.37),
        ("ask_install/still", 0.34),
        ("ask_how_it_works/c", ranked_by_whole),
    )
    parts = [what, renamed, still]
    expected = [what, still] if split else None
    assert split_decision(whole, parts, ["ask_install", "ask_how_it_works"], 0.55, asking=[0, 1, 2]) == expected


@pytest.mark.parametrize("answer_confidence, split", [(0.15, False), (0.4, True)])
def test_a_question_whose_answer_alone_is_a_guess_and_unranked_by_the_whole_is_not_asked_apart(
    answer_confidence, split
):
    account = with_text(
        answers("ask_install", 0.91, ("ask_install/carried_over", 0.65)), "tài khoản Bluezone cũ còn không"
    )
    again = with_text(
        answers("ask_how_it_works", 0.56, ("ask_how_it_works/later", answer_confidence)),
        "có phải đăng ký số điện thoại lại từ đầu không?",
    )
    whole = answers("ask_install", 0.87, ("ask_install/carried_over", 0.84), ("ask_how_it_works/later", 0.005))
    expected = [account, again] if split else None
    assert split_decision(whole, [account, again], ["ask_install", "ask_how_it_works"], 0.55, asking=[0, 1]) == expected


@pytest.mark.parametrize(
    "intent, confidence, opened, split",
    [
        ("out_of_scope", 0.6, (1,), True),
        ("request_human", 0.7, (1,), True),
        # Not brought up as another question: a sentence of the message.
        ("out_of_scope", 0.6, (), False),
        # Read alone as nothing surely.
        ("out_of_scope", 0.4, (1,), False),
        ("greet", 0.9, (1,), False),
    ],
)
def test_a_piece_asking_what_the_bot_has_no_knowledge_of_is_asked_beside_the_question(
    intent, confidence, opened, split
):
    heat = asked("ask_install", "ask_install/a", "Cài app này máy có bị nóng không?")
    aside = {**parse(intent, None, confidence), "text": "Mà tiện hỏi luôn giá lúa hôm nay bao nhiêu?"}
    expected = [heat, aside] if split else None
    assert split_decision(parse("ask_install", None), [heat, aside], ANSWERABLE, 0.55, opened=opened) == expected


def test_an_aside_keeps_its_place_among_the_questions():
    aside = {**parse("out_of_scope", None, 0.6), "text": "Tiện hỏi luôn giá lúa bao nhiêu?"}
    install = asked("ask_install", "ask_install/a", "Cài ở đâu?")
    battery = asked("ask_battery_data", "ask_battery_data/b", "Với lại có tốn pin không?")
    parts = [install, aside, battery]
    assert split_decision(parse("ask_install", None), parts, ANSWERABLE, 0.55, opened=(1, 2)) == parts
