from bot.analytics.grouping import group_similar


def test_spellings_of_one_question_form_one_group_largest_first():
    texts = [
        "ko nhan duoc ma otp",
        "không nhận được mã OTP",
        "không nhận được mã otp",
        "khong nhan dc ma otp",
        "giá vàng hôm nay",
        "gia vang hom nay bao nhieu",
        "không nhận được mã OTP",
    ]
    groups = group_similar(texts, similarity=0.5)
    assert len(groups) == 2
    otp, gold = groups
    assert otp.count == 5 and otp.representative == "không nhận được mã OTP"
    assert {t for t, _ in gold.texts} == {"giá vàng hôm nay", "gia vang hom nay bao nhieu"}


def test_unrelated_questions_stay_apart():
    groups = group_similar(["mua vé máy bay", "bóng đá tối nay", "công thức nấu phở"], similarity=0.5)
    assert [g.count for g in groups] == [1, 1, 1]


def test_one_or_no_question():
    assert group_similar([], 0.5) == []
    [group] = group_similar(["xin chào"], 0.5)
    assert group.texts == [("xin chào", 1)]
