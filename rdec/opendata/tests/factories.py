from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from rdec.core.context import acting_as
from rdec.core.models import Agency
from rdec.opendata import services

CSV = "區域,人口數\n北屯區,297000\n西屯區,233000\n".encode()


def dataset_values(**kwargs) -> dict:
    values = {
        "title": "臺中市各區人口統計",
        "description": "臺中市29區每月人口數統計，資料來源為戶政系統。",
        "category": "I00",
        "field_description": "區域(行政區名稱)、人口數(該區設籍人口)",
        "update_frequency": "每月",
        "contact_name": "王承辦",
        "contact_phone": "04-22289111#12345",
        "contact_email": "opendata@taichung.gov.tw",
        "tags": ["人口", "統計"],
    }
    values.update(kwargs)
    return values


def publish(actor, agency: Agency | None = None, **kwargs):
    agency = agency or actor.agency
    with acting_as(actor):
        return services.publish_dataset(actor=actor, agency=agency, **dataset_values(**kwargs))


def csv_upload(content: bytes = CSV, name: str = "population.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")
