"""Demo content for tracking (`rdec demo` calls `seed(stdout)`): a plausible year up to today —
12 市政會議 (monthly, chaired by the mayor, minutes on time but for one), 6 行動市政會議 in different
districts with their local representatives and resolutions, two plenaries of the youth advisory
committee, the mayor's instructions, three council sessions (two past, one coming) with council
resolutions and some execution texts, councillors' interpellations and concerns, and progress
reports in every state: released, continued with a new deadline, release proposed and awaiting
review, reported this cycle, silent, overdue.

Idempotent: does nothing when any meeting exists. Made, not lived: rows are written directly (with
past dates), not through the services. Names of people are fictional.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import workdays
from rdec.core.models import Agency, District, Role, User
from rdec.tracking import rules
from rdec.tracking.models import (
    CouncilSession,
    CouncilText,
    Item,
    ItemNumber,
    LocalRepresentative,
    Meeting,
    ProgressReport,
    Resolution,
)

MAYOR = "市長"
MOBILE = [
    # district, place, representatives, resolutions: (text, proposer, owner, co-agencies)
    (
        "大甲區",
        "大甲區公所禮堂",
        [
            ("district_chief", "陳志明", ""),
            ("village_chief", "林美華", "朝陽里"),
            ("councillor", "張文雄", ""),
        ],
        [
            ("請協助順天路拓寬工程用地取得，改善上下學交通安全。", "朝陽里 林里長", "construction", ["land"]),
            ("大甲溪畔自行車道串連至鐵砧山風景區。", "陳區長", "tourism", ["construction"]),
            ("增設大甲區公共托育家園一處。", "張議員", "social-affairs", []),
        ],
    ),
    (
        "東勢區",
        "東勢客家文化園區",
        [
            ("district_chief", "劉建宏", ""),
            ("village_chief", "徐春梅", "中寧里"),
            ("councillor", "黃國華", ""),
        ],
        [
            ("東勢林場聯外道路邊坡整治。", "劉區長", "construction", ["agriculture"]),
            ("甜柿產季行銷活動經費補助。", "徐里長", "agriculture", ["hakka"]),
            ("東勢區長照據點增設。", "黃議員", "health", ["social-affairs"]),
        ],
    ),
    (
        "霧峰區",
        "霧峰區農會會議室",
        [
            ("district_chief", "吳淑芬", ""),
            ("village_chief", "王志豪", "本堂里"),
            ("councillor", "李明哲", ""),
        ],
        [
            ("乾溪護岸改善及排水疏濬。", "王里長", "water-resources", []),
            ("霧峰林家宮保第園區周邊停車空間。", "吳區長", "transportation", ["culture"]),
        ],
    ),
    (
        "清水區",
        "清水區公所",
        [
            ("district_chief", "蔡文祥", ""),
            ("village_chief", "楊淑惠", "西社里"),
            ("councillor", "鄭家豪", ""),
        ],
        [
            ("清水區第二市場周邊人行道改善。", "楊里長", "construction", []),
            ("高美濕地假日交通疏導及接駁。", "鄭議員", "transportation", ["tourism", "police"]),
            ("清水國民運動中心進度說明。", "蔡區長", "sports", []),
        ],
    ),
    (
        "豐原區",
        "豐原區葫蘆墩文化中心",
        [
            ("district_chief", "謝明宏", ""),
            ("village_chief", "邱美玲", "南嵩里"),
            ("councillor", "羅文傑", ""),
        ],
        [
            ("豐原火車站後站轉運空間規劃。", "謝區長", "transportation", ["urban-development"]),
            ("南嵩里社區活動中心修繕。", "邱里長", "civil-affairs", []),
        ],
    ),
    (
        "和平區",
        "和平區梨山遊客中心",
        [
            ("district_chief", "馬芳蘭", ""),
            ("village_chief", "尤幹・達利", "梨山里"),
            ("councillor", "高正義", ""),
        ],
        [
            ("梨山地區台8線聯外道路搶修後續改善。", "馬區長", "construction", []),
            ("部落長者健康巡迴醫療服務。", "尤幹里長", "health", ["indigenous"]),
            ("梨山地區垃圾清運頻率提高。", "高議員", "environment", []),
        ],
    ),
]
CITY_RESOLUTIONS = [
    ("各機關加速辦理年度資本門預算執行，執行率未達八成者提出檢討。", "accounting", ["rdec"]),
    ("颱風季前完成轄內雨水下水道清淤。", "water-resources", ["construction", "environment"]),
    ("推動市府公文線上簽核比率提升。", "secretariat", ["digital"]),
    ("公有建築物耐震補強進度每月提報。", "urban-development", []),
    ("登革熱防治加強社區孳生源清除。", "environment", ["health"]),
    ("市區公車路線檢討與偏鄉幸福巴士增班。", "transportation", []),
    ("校園午餐食材在地化比例提升。", "education", ["agriculture"]),
    ("加強高齡者交通安全宣導。", "police", ["transportation"]),
    ("推動建築工地空氣污染防制查核。", "environment", []),
    ("市立圖書館延長開放時間試辦。", "culture", []),
    ("提升市民數位服務使用率。", "digital", ["rdec"]),
    ("檢討各區公園綠地認養制度。", "construction", ["civil-affairs"]),
]
MAYOR_INSTRUCTIONS = [
    ("臺中國際會展中心周邊交通配套", "transportation", ["urban-development"]),
    ("捷運藍線綜合規劃進度", "mrt", []),
    ("各區運動中心營運績效檢討", "sports", []),
    ("社會住宅出租率提升方案", "housing", ["urban-development"]),
    ("寒流期間弱勢家庭關懷", "social-affairs", []),
    ("道路挖掘申請案件一站式服務", "construction", ["digital"]),
    ("市場改建進度與攤商安置", "economic-development", []),
    ("中臺灣區域治理平台合作事項盤點", "rdec", ["secretariat"]),
]
COUNCIL_RESOLUTIONS = [
    ("請市府檢討停車費率調整方案。", "transportation"),
    ("請市府加速辦理國中小校舍耐震補強。", "education"),
    ("請市府提高老人健保補助。", "social-affairs"),
    ("請市府改善山線區域排水。", "water-resources"),
    ("請市府檢討垃圾清運時段。", "environment"),
    ("請市府增設公共托育設施。", "social-affairs"),
    ("請市府推動道路平整專案。", "construction"),
    ("請市府加強食品安全稽查。", "health"),
    ("請市府擴大青年創業貸款。", "economic-development"),
    ("請市府辦理大型活動交通維持計畫檢討。", "police"),
]
INTERPELLATIONS = [
    ("張文雄", "臺74線噪音改善時程", "construction"),
    ("李明哲", "霧峰區公共運輸路網", "transportation"),
    ("黃國華", "山城地區醫療資源", "health"),
    ("鄭家豪", "海線地區空氣品質監測", "environment"),
]
CONCERNS = [
    ("羅文傑", "豐原區停車位不足", "transportation"),
    ("高正義", "原住民族部落道路維護", "indigenous"),
    ("張文雄", "大甲鎮瀾宮遶境期間環境清潔", "environment"),
]
REPORT_TEXTS = [
    "已完成現地會勘，刻正辦理規劃設計。",
    "已編列預算，預計下月辦理招標。",
    "已決標，廠商進場施工中。",
    "工程施作中，目前進度符合預定。",
    "已召開協調會議，相關機關分工確認。",
    "已完成，並函復地方代表說明辦理情形。",
]


def seed(
    stdout=None, *, size: int | None = None, today: datetime.date | None = None, seed: int = 2026
) -> int:
    """Seed the demo meetings and items; returns how many items were made (0 when meetings exist)."""
    if Meeting.objects.exists():
        return 0
    started = timezone.now()
    with transaction.atomic():
        made = _seed(today or timezone.localdate(), random.Random(seed))  # noqa: S311 - demo data
    if stdout is not None:
        stdout.write(
            _(
                "Tracking: %(meetings)s meetings and %(items)s tracked items over the past year (%(seconds).1f s)."
            )
            % {
                "meetings": Meeting.objects.count(),
                "items": made,
                "seconds": (timezone.now() - started).total_seconds(),
            }
        )
    return made


class _Maker:
    def __init__(self, today: datetime.date, rng: random.Random):
        self.today = today
        self.rng = rng
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.districts = {d.name: d for d in District.objects.defer("geometry")}
        self.officer = User.objects.filter(role=Role.RDEC_OFFICER, is_active=True).order_by("pk").first()
        self.members = {}
        for user in User.objects.filter(role__in=[Role.AGENCY_STAFF, Role.SUPERVISOR], is_active=True):
            self.members.setdefault(user.agency_id, user)
        self.counter = 0
        self.numbers: dict[int, int] = {}

    def at(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))

    def working(self, day: datetime.date, n: int) -> datetime.date:
        try:
            return workdays.add_working_days(day, n)
        except workdays.CalendarRangeError:
            return day + datetime.timedelta(days=n)

    def item(self, *, source, title, owner, deadline, created, co=(), **extra) -> Item:
        self.counter += 1
        year = created.year - 1911
        self.numbers[year] = self.numbers.get(year, 0) + 1
        item = Item.objects.create(
            number=f"{year}-{self.numbers[year]:05d}",
            title=title,
            description=extra.pop("description", title),
            source=source,
            owner=self.agencies[owner],
            deadline=deadline,
            original_deadline=deadline,
            level=extra.pop("level", Item.Level.RDEC),
            created_by=self.officer,
            created_at=self.at(created, 10),
            **extra,
        )
        item.co_agencies.set([self.agencies[c] for c in co if c in self.agencies and c != owner])
        return item

    def life(self, item: Item, fate: str) -> None:
        """Progress reports and reviews by the item's fate: released, continued, proposed,
        reported (this cycle), silent, overdue."""
        created = timezone.localtime(item.created_at).date()
        span = max((self.today - created).days, 1)
        count = {"released": 3, "continued": 2, "proposed": 2, "reported": 2, "silent": 1, "overdue": 0}[fate]
        if fate == "silent" and span < 40:
            count = 0
        percent = 0
        cycle = rules.cycle_start(self.today)
        for n in range(count):
            if fate == "reported" and n == count - 1:
                day = max(cycle, self.today - datetime.timedelta(days=2))
            elif fate == "silent":
                day = min(created + datetime.timedelta(days=15), cycle - datetime.timedelta(days=20))
            else:
                day = created + datetime.timedelta(days=max(1, span * (n + 1) // (count + 1)))
            day = min(day, self.today)
            last = n == count - 1
            percent = (
                100
                if last and fate in ("released", "proposed")
                else min(95, percent + self.rng.randint(20, 40))
            )
            text = REPORT_TEXTS[-1] if percent == 100 else REPORT_TEXTS[min(n + self.rng.randint(0, 2), 4)]
            reporter = self.members.get(item.owner_id)
            report = ProgressReport.objects.create(
                item=item,
                agency=item.owner,
                reported_on=day,
                text=text,
                percent=percent,
                propose_release=last and fate in ("released", "proposed"),
                submitted_by=reporter,
                submitted_at=self.at(day, 15),
            )
            reviewed = not (last and fate in ("proposed", "reported"))
            if reviewed:
                release = last and fate == "released"
                report.decision = (
                    ProgressReport.Decision.RELEASE if release else ProgressReport.Decision.CONTINUE
                )
                report.review_comment = (
                    "辦理完竣，同意解除列管。" if release else "請持續追蹤辦理進度，並按月填報。"
                )
                report.reviewed_by = self.officer
                report.reviewed_at = self.at(min(day + datetime.timedelta(days=3), self.today), 11)
                if fate == "continued" and last:
                    report.new_deadline = item.deadline + datetime.timedelta(days=60)
                report.save()
            item.percent = percent
            item.last_report_at = report.submitted_at
        if fate == "released":
            item.status = Item.Status.RELEASED
            item.released_at = item.reports.order_by("-id").first().reviewed_at
        elif fate == "continued":
            item.status = Item.Status.CONTINUED
            item.deadline = item.deadline + datetime.timedelta(days=60)
        elif fate == "proposed":
            item.status = Item.Status.RELEASE_PROPOSED
        item.save()

    def fate(self, deadline: datetime.date, created: datetime.date) -> str:
        age = (self.today - created).days
        if deadline < self.today:
            return self.rng.choice(["released", "released", "released", "continued", "overdue", "proposed"])
        if age > 120:
            return self.rng.choice(["released", "reported", "continued", "silent"])
        return self.rng.choice(["reported", "reported", "silent", "proposed"])


def _seed(today: datetime.date, rng: random.Random) -> int:
    m = _Maker(today, rng)
    first = today - datetime.timedelta(days=365)
    meetings = []

    # 12 市政會議: the Tuesday of each month, the mayor in the chair.
    for k in range(12):
        month_day = (first + datetime.timedelta(days=30 * k + 20)).replace(day=1) + datetime.timedelta(days=7)
        day = month_day + datetime.timedelta(days=(1 - month_day.weekday()) % 7)
        if day >= today:
            day = today - datetime.timedelta(days=2)
        roc = day.year - 1911
        meeting = Meeting.objects.create(
            type=Meeting.Type.CITY_COUNCIL,
            title=f"{roc}年{day.month}月市政會議",
            held_at=m.at(day, 9),
            place="臺中市政府臺灣大道市政大樓惠中樓",
            chair_name=MAYOR,
            chair_is_mayoral=True,
            agenda="一、專案報告\n二、討論提案\n三、臨時動議",
            livestream_url="https://www.youtube.com/@taichungcity",
            minutes_due_on=m.working(day, rules.minutes_working_days()),
            created_by=m.officer,
            created_at=m.at(day, 8),
        )
        late = k == 5
        latest = k == 11
        if not latest:
            published = m.working(day, 4 if late else 2)
            meeting.minutes = f"{meeting.title}紀錄：各機關專案報告洽悉，決議事項如附。"
            meeting.minutes_published_at = m.at(min(published, today), 17)
            meeting.save()
        meeting.agencies.set([m.agencies[c] for c in ("secretariat", "rdec", "construction", "accounting")])
        text, owner, co = CITY_RESOLUTIONS[k]
        resolution = Resolution.objects.create(meeting=meeting, number=1, text=text, proposer=MAYOR)
        deadline = day + datetime.timedelta(days=rng.choice([60, 90, 120]))
        item = m.item(
            source=Item.Source.RESOLUTION,
            title=text,
            owner=owner,
            co=co,
            deadline=deadline,
            created=day,
            meeting=meeting,
            resolution=resolution,
        )
        m.life(item, m.fate(deadline, day))
        meetings.append(meeting)

    # 6 行動市政會議 in the districts, every two months.
    for k, (district, place, reps, resolutions) in enumerate(MOBILE):
        day = first + datetime.timedelta(days=25 + 58 * k)
        day += datetime.timedelta(days=(3 - day.weekday()) % 7)  # a Thursday
        if day >= today:
            day = today - datetime.timedelta(days=1)
        roc = day.year - 1911
        meeting = Meeting.objects.create(
            type=Meeting.Type.MOBILE,
            title=f"{roc}年{district}行動市政會議",
            held_at=m.at(day, 14),
            place=place,
            district=m.districts.get(district),
            chair_name=MAYOR,
            chair_is_mayoral=True,
            agenda=f"一、{district}公所業務簡報\n二、地方代表建言\n三、市府團隊回應",
            livestream_url="https://www.youtube.com/@taichungcity",
            minutes_due_on=m.working(day, rules.minutes_working_days()),
            minutes=f"{district}行動市政會議紀錄：地方代表建言計{len(resolutions)}案，均錄案列管。",
            minutes_published_at=m.at(min(m.working(day, 3), today), 16),
            created_by=m.officer,
            created_at=m.at(day, 8),
        )
        office = m.agencies.get(f"district-office-{meeting.district.code}") if meeting.district else None
        owners = {o for _t, _p, o, _c in resolutions}
        meeting.agencies.set([m.agencies[c] for c in owners] + ([office] if office else []))
        for role, name, note in reps:
            LocalRepresentative.objects.create(meeting=meeting, role=role, name=name, note=note)
        for n, (text, proposer, owner, co) in enumerate(resolutions, start=1):
            resolution = Resolution.objects.create(
                meeting=meeting, number=n, kind=Resolution.Kind.SUGGESTION, text=text, proposer=proposer
            )
            deadline = day + datetime.timedelta(days=rng.choice([45, 90, 150, 240]))
            item = m.item(
                source=Item.Source.RESOLUTION,
                title=text,
                owner=owner,
                co=co,
                deadline=deadline,
                created=day,
                meeting=meeting,
                resolution=resolution,
            )
            m.life(item, m.fate(deadline, day))
        # one suggestion settled on the spot
        Resolution.objects.create(
            meeting=meeting,
            number=len(resolutions) + 1,
            kind=Resolution.Kind.SUGGESTION,
            text="路燈故障報修，已由區公所當場派員處理。",
            proposer="里長",
            settled_on_site=True,
        )
        meetings.append(meeting)

    # The youth advisory committee's two plenaries (11-1-1).
    for k, day in enumerate([first + datetime.timedelta(days=100), first + datetime.timedelta(days=280)]):
        roc = day.year - 1911
        meeting = Meeting.objects.create(
            type=Meeting.Type.YOUTH,
            title=f"{roc}年青年事務諮詢委員會第{k + 1}次大會",
            held_at=m.at(day, 14),
            place="臺中市政府文心樓",
            chair_name="副市長",
            chair_is_mayoral=True,
            minutes_due_on=m.working(day, rules.minutes_working_days()),
            minutes="青年委員提案討論，決議如附。",
            minutes_published_at=m.at(min(m.working(day, 3), today), 16),
            created_by=m.officer,
        )
        meeting.agencies.set([m.agencies[c] for c in ("economic-development", "education", "labor", "rdec")])
        resolution = Resolution.objects.create(
            meeting=meeting, number=1, text="研議設置青年共享工作空間。", proposer="青年委員"
        )
        deadline = day + datetime.timedelta(days=120)
        item = m.item(
            source=Item.Source.RESOLUTION,
            title=resolution.text,
            owner="economic-development",
            co=["labor"],
            deadline=deadline,
            created=day,
            meeting=meeting,
            resolution=resolution,
        )
        m.life(item, m.fate(deadline, day))

    # A coming 市政會議-level regional platform meeting, chaired at mayoral level, minutes due.
    day = today - datetime.timedelta(days=1)
    Meeting.objects.create(
        type=Meeting.Type.REGIONAL_HEADS,
        title=f"{day.year - 1911}年中臺灣區域治理平台首長會議",
        held_at=m.at(day, 10),
        place="臺中市政府",
        chair_name=MAYOR,
        chair_is_mayoral=True,
        minutes_due_on=m.working(day, rules.minutes_working_days()),
        created_by=m.officer,
    ).agencies.set([m.agencies["rdec"], m.agencies["secretariat"]])

    # Mayor's instructions.
    for k, (title, owner, co) in enumerate(MAYOR_INSTRUCTIONS):
        created = first + datetime.timedelta(days=20 + 42 * k)
        deadline = created + datetime.timedelta(days=rng.choice([30, 60, 90, 180]))
        item = m.item(
            source=Item.Source.MAYOR, title=title, owner=owner, co=co, deadline=deadline, created=created
        )
        m.life(item, {0: "continued", 1: "proposed"}.get(k) or m.fate(deadline, created))

    # Council sessions: two past, one coming (its report due within the reminder window).
    past_a = CouncilSession.objects.create(
        term=4,
        number=6,
        opens_on=first + datetime.timedelta(days=30),
        closes_on=first + datetime.timedelta(days=90),
    )
    past_b = CouncilSession.objects.create(
        term=4,
        number=7,
        opens_on=first + datetime.timedelta(days=200),
        closes_on=first + datetime.timedelta(days=260),
    )
    coming = CouncilSession.objects.create(
        term=4,
        number=8,
        opens_on=today + datetime.timedelta(days=18),
        closes_on=today + datetime.timedelta(days=80),
    )
    for k, (text, owner) in enumerate(COUNCIL_RESOLUTIONS):
        session = past_a if k < 4 else past_b
        created = session.closes_on
        deadline = created + datetime.timedelta(days=rng.choice([90, 180, 240]))
        item = m.item(
            source=Item.Source.COUNCIL_RESOLUTION,
            title=text,
            owner=owner,
            deadline=deadline,
            created=min(created, today),
            council_session=session,
            council_number=k + 1 if session is past_a else k - 3,
            level=Item.Level.CITY,
        )
        m.life(item, m.fate(deadline, min(created, today)))
        if k % 3 == 0:
            CouncilText.objects.create(
                session=coming,
                item=item,
                text="本案已依決議辦理，" + REPORT_TEXTS[k % 5],
                updated_by=m.officer,
            )

    # Interpellations (written reply within 7 days) and councillors' concerns.
    for k, (councillor, title, owner) in enumerate(INTERPELLATIONS):
        asked = today - datetime.timedelta(days=[40, 12, 5, 2][k])
        item = m.item(
            source=Item.Source.INTERPELLATION,
            title=title,
            owner=owner,
            deadline=rules.interpellation_due_on(asked),
            created=asked,
            councillor=councillor,
            asked_on=asked,
            council_session=None,
            level=Item.Level.CITY,
        )
        m.life(item, "released" if k == 0 else ("overdue" if k == 1 else "silent"))
    for k, (councillor, title, owner) in enumerate(CONCERNS):
        created = today - datetime.timedelta(days=60 + 30 * k)
        item = m.item(
            source=Item.Source.COUNCILLOR_CONCERN,
            title=title,
            owner=owner,
            deadline=today + datetime.timedelta(days=[3, 30, -5][k]),
            created=created,
            councillor=councillor,
        )
        m.life(item, "reported" if k != 2 else "overdue")

    # Items due this week for the demo accounts' agencies (建設局, 環保局).
    for k, (title, owner) in enumerate(
        [("文心路人行道破損修復", "construction"), ("資源回收站設置", "environment")]
    ):
        created = today - datetime.timedelta(days=45)
        item = m.item(
            source=Item.Source.PETITION,
            title=title,
            owner=owner,
            deadline=today + datetime.timedelta(days=2 + k),
            created=created,
            petition_number=f"{today.year - 1911}-00000{k + 1}",
        )
        m.life(item, "silent")

    for year, last in m.numbers.items():
        ItemNumber.objects.update_or_create(year=year, defaults={"last": last})
    return m.counter
