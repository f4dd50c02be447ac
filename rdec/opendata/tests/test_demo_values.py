"""The demo catalogue's CSV previews read like data: no 「編號1」「區別1」 made from the column name."""

from __future__ import annotations

import random
import re

from rdec.opendata.demo_catalog import DISTRICTS, _value


def test_common_columns_get_plausible_values():
    rng = random.Random(1)
    cells = {
        name: _value({"name": name}, 0, rng)
        for name in ("編號", "區別", "地址", "電話", "轄區分局", "備註", "月")
    }
    assert cells["編號"] == "1" and cells["月"] == "1" and cells["備註"] == ""
    assert cells["區別"] in DISTRICTS
    assert cells["地址"].startswith("臺中市") and cells["地址"].endswith("號")
    assert re.fullmatch(r"04-2\d{7}", cells["電話"])
    assert cells["轄區分局"].endswith("分局")


def test_no_cell_is_the_column_name_and_a_number():
    rng = random.Random(2)
    for name in ("主要肇因", "類別", "名稱", "項目", "檢驗結果", "路口名稱"):
        for row in range(5):
            assert not re.fullmatch(re.escape(name) + r"\d+", _value({"name": name}, row, rng))
