"""The three registers as open data: each is a dataset of the RDEC in the platform's own catalog
(rdec.opendata), whose CSV resource is regenerated every night from the same rows as the public
downloads (exports.py). A resource gets a new version only when its content changed; the catalog's
quality check then runs on it as on any resource (the declared fields name every column, the file is
UTF-8 as declared: the gold badge).

`publish_registers()` is the nightly job (Celery beat `transparency-open-data`, or
`rdec publish_transparency_data`). It acts as the platform's service account `system.transparency`
(role SYSTEM, of the RDEC), so the catalog's audit trail names who published."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from rdec.core.context import acting_as
from rdec.core.models import Agency, Role, User
from rdec.core.spreadsheets import to_csv
from rdec.transparency import exports

SERVICE_USERNAME = "system.transparency"
RDEC_AGENCY_CODE = "rdec"


@dataclass(frozen=True)
class RegisterDataset:
    register: str
    name: str  # the catalog's URL name
    title: str
    description: str
    fields: str  # 主要欄位說明: every column of the CSV, as the quality check reads it


DATASETS = [
    RegisterDataset(
        "contracts",
        "taichung-contracts",
        "臺中市政府對外契約公開清單",
        "本府各機關依政府資訊公開法第7條第1項第8款公開之對外契約（採購、租賃、促參、附條件補助），含決標資料與契約全文連結。"
        "依法不公開之金額為空白；自然人廠商之姓名遮蔽、不列統一編號。每日自契約公開專區重新產製。",
        "id(契約識別碼)、ocid(OCDS識別碼)、agency(機關)、title(契約名稱)、type(契約類型)、"
        "procurement_method(招標方式)、pcc_case_number(標案案號)、supplier(得標廠商)、supplier_tax_id(統一編號)、"
        "budget_amount(預算金額, 元)、award_amount(決標金額, 元)、award_date(決標日期)、signed_on(簽約日期)、"
        "term_start(履約期間起)、term_end(履約期間迄)、published_at(公開時間)、url(契約頁面網址)",
    ),
    RegisterDataset(
        "mous",
        "taichung-mous",
        "臺中市政府合作備忘錄公開清單",
        "本府簽署之合作備忘錄、意向書、協議及締盟盟約，含簽署對象、期間、狀態與全文頁面連結。每日自合作備忘錄專區重新產製。",
        "number(編號)、type(類型)、title(名稱)、summary(摘要)、agency(主辦機關)、parties(簽署對象)、"
        "signed_on(簽署日期)、term_start(期間起)、term_end(期間迄)、status(狀態)、published_at(公開時間)、url(頁面網址)",
    ),
    RegisterDataset(
        "disclosures",
        "taichung-proactive-disclosure",
        "臺中市政府主動公開資訊清單",
        "本府各機關依政府資訊公開法第7條十類主動公開之資訊項目、公開方式及最近更新日期。每日自政府資訊公開專區重新產製。",
        "id(項目識別碼)、agency(機關)、category(第7條類別, 1至10)、title(名稱)、summary(摘要)、"
        "methods(公開方式)、url(網址)、published_on(公開日期)、updated_on(最近更新日期)、restriction(限制公開情形)",
    ),
]


def service_user() -> User:
    """The platform's service account for the registers' datasets (made on first use)."""
    agency = Agency.objects.get(code=RDEC_AGENCY_CODE)
    user, created = User.objects.get_or_create(
        username=SERVICE_USERNAME,
        defaults={"role": Role.SYSTEM, "agency": agency, "display_name": str(_("Transparency registers"))},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def register_csv(register: str) -> bytes:
    select, rows_of = exports.REGISTERS[register]
    headers = exports.HEADERS[register]
    return to_csv(headers, ([row[h] for h in headers] for row in rows_of(select())))


@transaction.atomic
def publish_register(spec: RegisterDataset, *, actor) -> str:
    """The register's dataset and CSV resource, made or brought up to date. Returns "created",
    "updated" or "unchanged"."""
    from rdec.opendata import services as catalog
    from rdec.opendata.models import Dataset

    content = register_csv(spec.register)
    upload = SimpleUploadedFile(f"{spec.name}.csv", content, content_type="text/csv")
    dataset = Dataset.objects.filter(name=spec.name).first()
    if dataset is None:
        dataset = catalog.publish_dataset(
            actor=actor,
            agency=actor.agency,
            name=spec.name,
            title=spec.title,
            description=spec.description,
            category="I00",  # 公共資訊
            field_description=spec.fields,
            update_frequency="每日",
            contact_name="研究發展考核委員會",
            contact_phone="04-22289111",
            contact_email="rdec@taichung.gov.tw",
            tags=["資訊公開", "政府資訊公開法"],
        )
        catalog.add_resource(
            dataset,
            actor=actor,
            description=f"{spec.title}（CSV）",
            upload=upload,
            format="CSV",
            encoding="UTF-8",
            field_description=spec.fields,
        )
        return "created"
    resource = dataset.resources.order_by("number").first()
    if resource is None:
        catalog.add_resource(
            dataset, actor=actor, description=f"{spec.title}（CSV）", upload=upload, format="CSV",
            encoding="UTF-8", field_description=spec.fields,
        )  # fmt: skip
        return "updated"
    if resource.sha256 == hashlib.sha256(content).hexdigest():
        return "unchanged"
    catalog.update_resource(resource, actor=actor, upload=upload)
    return "updated"


def publish_registers() -> dict[str, str]:
    """Every register's dataset brought up to date: {register: created|updated|unchanged}."""
    actor = service_user()
    with acting_as(actor):
        return {spec.register: publish_register(spec, actor=actor) for spec in DATASETS}
