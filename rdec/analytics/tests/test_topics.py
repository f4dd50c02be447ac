"""Hot words, spikes and topics: the segmenter keeps Taichung's names and the petition terms whole,
a planted new word is flagged as a spike (and nothing on a pattern-free set), planted groups of
texts come back as topics, and the database read shows each user only the cases they may see."""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from django.core.exceptions import PermissionDenied

from rdec.analytics import topics

TZ = datetime.timezone(datetime.timedelta(hours=8))

# everyday petition phrases with no pattern: any text is three of them, drawn at random
PHRASES = [
    "路面有坑洞",
    "路燈不亮",
    "垃圾沒有清運",
    "水溝堵塞發臭",
    "違規停車擋住出入",
    "工地噪音很吵",
    "號誌秒差太短",
    "路樹需要修剪",
    "人行道破損",
    "公車過站不停",
    "流浪犬追人",
    "騎樓被占用",
    "空氣有異味",
    "廣告招牌搖晃",
    "道路積水",
    "公園設施損壞",
]
PLACES = ["西屯區文心路", "北屯區崇德路", "南屯區公益路", "大里區", "豐原區中正路", "中區繼光街"]


def _texts(rng: random.Random, n: int, extra: str = "", every: int = 0) -> list[str]:
    texts = []
    for i in range(n):
        text = rng.choice(PLACES) + "，".join(rng.sample(PHRASES, 3))
        if every and i % every == 0:
            text += extra
        texts.append(f"渠反映{text}，建請查處。")
    return texts


@pytest.fixture(scope="module")
def seg():
    return topics.segmenter()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("臺中市西屯區文心路四段路燈不亮", ["臺中市", "西屯區", "文心路四段", "路燈", "不亮"]),
        ("北屯文心路有路樹倒塌", ["北屯", "文心路", "路樹", "倒塌"]),
        ("請建設局處理人孔蓋鬆動", ["建設局", "人孔蓋", "鬆動"]),
        ("住家附近有登革熱病媒蚊孳生源", ["登革熱", "病媒蚊", "孳生源"]),
        ("西屯區公所前違停", ["西屯區公所", "違停"]),
    ],
)
def test_it_keeps_local_names_and_petition_terms_whole(seg, text, expected):
    assert seg.words(text) == expected


def test_category_names_are_cut_into_their_words_so_counts_add_up(seg):
    # 路燈不亮 is 路燈 / 不亮 (documented): 路燈不亮, 路燈故障 and 路燈閃爍 all count under 路燈
    assert seg.words("路燈不亮") == ["路燈", "不亮"]
    assert "路燈" in seg.words("路燈閃爍")
    assert "路燈" in seg.words("路燈故障")


def test_boilerplate_numbers_and_counted_things_are_not_words(seg):
    assert seg.words("渠反映該處有一盞路燈故障，建請查處。") == ["路燈", "故障"]
    assert seg.words("渠反映該處3處坑洞，建請派員查處") == ["坑洞"]


def test_remembered_clauses_give_the_same_words_as_a_fresh_cut(seg):
    texts = [
        "渠反映該處路燈故障不亮，建請查處。",
        "西屯區文心路路燈故障不亮（2盞），建請查處",
        "ubike站 LED燈不亮!",
    ]
    fresh = [
        [
            w
            for w in seg.cut(t)
            if (len(w) >= 2 or w.isascii()) and w not in seg.stop_words and topics._is_word(w)
        ]
        for t in texts
    ]
    assert [seg.words(t) for t in texts] == fresh
    assert [seg.words(t) for t in texts] == fresh  # from the cache
    assert fresh[2] == ["ubike", "led", "不亮"]  # 燈 is one character


def test_the_segmenter_is_loaded_once_even_from_threads():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda _i: topics.segmenter(), range(8)))
    assert all(s is found[0] for s in found)


def test_hot_words_count_texts_not_repetitions():
    docs = [["路燈", "路燈", "路燈"], ["路燈", "坑洞"], ["坑洞"], ["噪音"]]
    assert topics.hot_words(docs, limit=2) == [("坑洞", 2), ("路燈", 2)]


def test_the_binomial_test_matches_a_hand_computation():
    # a word in 5 of 100 texts now and 0 of 100 before: p = 0.5^5 = 0.03125, the only word tested
    current = [["登革熱"]] * 5 + [["其他詞"]] * 95
    baseline = [["其他詞"]] * 100
    trends = topics.rising_words(current, baseline, min_count=5)
    dengue = next(t for t in trends if t.word == "登革熱")
    assert dengue.p == pytest.approx(0.03125)
    # two words tested (其他詞: 95 vs 100, p ≈ 0.67): BH q of 登革熱 = 0.03125 × 2 / 1
    assert dengue.q == pytest.approx(0.0625)
    assert not dengue.rising  # q ≥ 5 %


def test_a_planted_new_word_is_flagged_as_a_spike(seg):
    rng = random.Random(7)
    before = [seg.words(t) for t in _texts(rng, 600)]
    now = [seg.words(t) for t in _texts(rng, 600, "，疑似登革熱病例", every=15)]  # 40 texts
    trends = topics.rising_words(now, before)
    spikes = [t.word for t in trends if t.spike]
    assert "登革熱" in spikes
    dengue = next(t for t in trends if t.word == "登革熱")
    assert (dengue.count, dengue.baseline_count, dengue.ratio) == (40, 0, None)
    assert set(spikes) <= {"登革熱", "疑似", "病例"}


def test_a_word_that_was_there_before_rises_but_is_no_spike(seg):
    rng = random.Random(8)
    before = [seg.words(t) for t in _texts(rng, 600, "，又淹水", every=60)]  # 10 texts
    now = [seg.words(t) for t in _texts(rng, 600, "，又淹水", every=10)]  # 60 texts
    trend = next(t for t in topics.rising_words(now, before) if t.word == "淹水")
    assert trend.rising and not trend.spike


def test_a_seasonal_word_is_no_spike_when_it_was_there_last_year(seg):
    rng = random.Random(9)
    before = [seg.words(t) for t in _texts(rng, 600)]
    now = [seg.words(t) for t in _texts(rng, 600, "，登革熱", every=15)]
    last_year = [seg.words(t) for t in _texts(rng, 600, "，登革熱", every=15)]
    trend = next(t for t in topics.rising_words(now, before, last_year) if t.word == "登革熱")
    assert trend.rising and not trend.spike
    assert trend.last_year_count == 40 and trend.last_year_q > 0.05


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_no_false_alarm_on_a_pattern_free_set(seg, seed):
    rng = random.Random(seed)
    before = [seg.words(t) for t in _texts(rng, 800)]
    now = [seg.words(t) for t in _texts(rng, 800)]
    trends = topics.rising_words(now, before)
    assert len(trends) > 20
    assert [t.word for t in trends if t.rising] == []


GROUPS = {
    "light": ["路燈不亮", "路燈閃爍", "路燈故障", "燈桿傾斜", "路燈白天未熄"],
    "garbage": ["垃圾車沒來", "垃圾沒有清運", "髒亂點很臭", "大型廢棄物堆放", "垃圾堆積"],
    "parking": ["違規停車", "違停擋住出入", "紅線違停", "請警察拖吊", "違規停車占用車道"],
}


def test_topics_recover_planted_groups(seg):
    rng = random.Random(11)
    labels, texts = [], []
    for _ in range(90):
        group = rng.choice(sorted(GROUPS))
        labels.append(group)
        texts.append(f"{rng.choice(PLACES)}{'，'.join(rng.sample(GROUPS[group], 2))}")
    docs = [seg.words(t) for t in texts]
    found = topics.topics(docs, 3)
    assert len(found) == 3
    assert sum(t.size for t in found) == 90
    recovered = set()
    for topic in found:
        members = {labels[i] for i in topic.representatives}
        assert len(members) == 1  # the most typical texts of a topic are of one group
        recovered |= members
        assert abs(topic.size - labels.count(next(iter(members)))) <= 3
    assert recovered == set(GROUPS)
    assert topics.topics(docs, 3) == found  # deterministic


def test_analyse_compares_the_period_with_the_one_before_and_says_where_a_word_rose():
    rng = random.Random(12)
    start, end = datetime.date(2026, 8, 1), datetime.date(2026, 8, 31)
    july = datetime.date(2026, 7, 1)
    rows = [
        (july + datetime.timedelta(days=i % 31), t, "其他", "中區") for i, t in enumerate(_texts(rng, 400))
    ]
    for i, text in enumerate(_texts(rng, 400, "登革熱", every=10)):  # 40 texts of 400
        where = ("病媒蚊", "北區") if i % 10 == 0 else ("其他", "中區")
        rows.append((start + datetime.timedelta(days=i % 31), text, *where))
    rows.append((datetime.date(2026, 6, 1), "不在比較範圍的案件", "其他", "中區"))
    result = topics.analyse(rows, start, end)
    assert (result["texts"], result["baseline_texts"], result["last_year_texts"]) == (400, 400, 0)
    assert [t.word for t in result["spikes"]] == ["登革熱"]
    assert result["spikes"][0].where == {"category": [("病媒蚊", 40)], "district": [("北區", 40)]}
    assert result["topics"] and all(isinstance(c[1], str) for t in result["topics"] for c in t["cases"])


def test_analyse_leaves_last_year_out_where_there_is_no_data_and_uses_it_where_there_is():
    rng = random.Random(14)
    start, end = datetime.date(2026, 8, 1), datetime.date(2026, 8, 31)
    rows = [
        (datetime.date(2026, 7, 1) + datetime.timedelta(days=i % 31), t)
        for i, t in enumerate(_texts(rng, 300))
    ]
    rows += [
        (start + datetime.timedelta(days=i % 31), t)
        for i, t in enumerate(_texts(rng, 300, "登革熱", every=10))
    ]
    assert [t.word for t in topics.analyse(rows, start, end)["spikes"]] == ["登革熱"]
    year_ago = datetime.date(2025, 8, 1)
    rows += [
        (year_ago + datetime.timedelta(days=i % 31), t)
        for i, t in enumerate(_texts(rng, 300, "登革熱", every=10))
    ]
    result = topics.analyse(rows, start, end)
    assert result["last_year_texts"] == 300
    assert [t.word for t in result["rising"]] == ["登革熱"] and result["spikes"] == []


@pytest.mark.django_db
def test_the_database_read_shows_each_user_only_the_cases_they_may_see(personas):
    from rdec.core.models import Agency
    from rdec.petitions.models import Case, Category

    construction = Agency.objects.get(code="construction")
    environment = Agency.objects.get(code="environment")
    light = Category.objects.get(code="light-out")
    garbage = Category.objects.get(code="garbage")
    today = datetime.date(2026, 9, 30)
    rng = random.Random(13)
    cases = []
    for i in range(60):
        day = today - datetime.timedelta(days=i % 28)
        mine = i % 2 == 0
        cases.append(
            Case(
                number=f"t-{uuid.uuid4().hex[:12]}",
                channel="web",
                category=light if mine else garbage,
                subject="路燈不亮" if mine else "垃圾車沒來",
                description=f"{rng.choice(PLACES)}路燈閃爍" if mine else f"{rng.choice(PLACES)}垃圾堆積發臭",
                agency=construction if mine else environment,
                status="closed",
                received_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ),
                due_date=day,
                original_due_date=day,
            )
        )
    for days_before in [30, 35, 40, 100, 120]:  # 3 in the period before, 2 in no window compared
        day = today - datetime.timedelta(days=days_before)
        cases.append(
            Case(
                number=f"t-{uuid.uuid4().hex[:12]}",
                channel="web",
                category=light,
                subject="路燈不亮",
                description="路燈不亮",
                agency=construction,
                status="closed",
                received_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ),
                due_date=day,
                original_due_date=day,
            )
        )
    Case.objects.bulk_create(cases)
    start = today - datetime.timedelta(days=27)

    staff = topics.hot_topics(personas.staff, start=start, end=today)
    assert (staff["texts"], staff["baseline_texts"], staff["last_year_texts"]) == (30, 3, 0)
    hot = dict(staff["hot"])
    assert hot["路燈"] == 30 and "垃圾" not in hot
    assert {c.agency_id for t in staff["topics"] for c in t["cases"]} == {construction.pk}

    officer = topics.hot_topics(personas.officer, start=start, end=today)
    assert officer["texts"] == 60 and dict(officer["hot"])["垃圾"] == 30
    assert officer["rule"]["fdr_pct"] == 1  # the report rule in force (the default, unconfirmed)
    only_garbage = topics.hot_topics(personas.officer, start=start, end=today, category=garbage)
    assert only_garbage["texts"] == 30

    with pytest.raises(PermissionDenied):
        topics.hot_topics(personas.citizen, start=start, end=today)


def _bulk_cases(texts_by_day, agency_code="construction", category_code="light-out"):
    from rdec.core.models import Agency
    from rdec.petitions.models import Case, Category

    agency = Agency.objects.get(code=agency_code)
    category = Category.objects.get(code=category_code)
    Case.objects.bulk_create(
        [
            Case(
                number=f"t-{uuid.uuid4().hex[:12]}",
                channel="web",
                category=category,
                subject="陳情",
                description=text,
                agency=agency,
                status="closed",
                received_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ),
                due_date=day,
                original_due_date=day,
            )
            for day, text in texts_by_day
        ]
    )


@pytest.mark.django_db
def test_the_page_shows_a_new_word_that_spikes_and_refuses_a_bad_period(personas):
    from django.test import Client
    from django.urls import reverse

    end = datetime.date(2026, 9, 30)
    start = end - datetime.timedelta(days=6)
    rng = random.Random(5)
    before = _texts(rng, 150)
    now = _texts(rng, 150, extra="，疑似登革熱病媒蚊孳生", every=3)
    _bulk_cases(
        [(start - datetime.timedelta(days=1 + i % 7), t) for i, t in enumerate(before)]
        + [(start + datetime.timedelta(days=i % 7), t) for i, t in enumerate(now)]
    )
    client = Client()
    client.force_login(personas.officer)
    page = client.get(reverse("analytics:topics"), {"start": start.isoformat(), "end": end.isoformat()})
    assert page.status_code == 200
    result = page.context["result"]
    assert "登革熱" in {t.word for t in result["spikes"]}
    assert (result["texts"], result["texts_total"], result["baseline_texts"]) == (150, 150, 150)
    assert 'data-testid="spikes"' in page.content.decode() and "登革熱" in page.content.decode()
    wrong = client.get(reverse("analytics:topics"), {"start": end.isoformat(), "end": start.isoformat()})
    assert wrong.status_code == 400 and "end" in wrong.context["form"].errors
    client.force_login(personas.agent)
    assert client.get(reverse("analytics:topics")).status_code == 403


@pytest.mark.django_db
def test_a_large_period_is_read_as_a_fixed_sample(personas):
    end = datetime.date(2026, 9, 30)
    start = end - datetime.timedelta(days=6)
    rng = random.Random(8)
    _bulk_cases([(start + datetime.timedelta(days=i % 7), t) for i, t in enumerate(_texts(rng, 120))])
    first = topics.hot_topics(personas.officer, start=start, end=end, sample=50)
    again = topics.hot_topics(personas.officer, start=start, end=end, sample=50)
    assert (first["texts"], first["texts_total"]) == (50, 120)
    assert first["hot"] == again["hot"]  # the same period gives the same sample
