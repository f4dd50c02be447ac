"""Build rdec/analytics/data/jieba-hant.txt.xz: jieba's bundled dictionary (Simplified Chinese) in
Traditional Chinese with Taiwan phrasing, for rdec.analytics.topics.

Run once when jieba's dictionary changes, with OpenCC installed (a build-time tool only, not a
dependency of rdec):   pip install opencc jieba && python scripts/build_jieba_hant.py

Each word is converted with OpenCC's s2twp (Simplified → Traditional, Taiwan standard, with Taiwan
phrases: 软件 → 軟體); words that become the same Traditional word have their frequencies added.
Words seen fewer than MIN_FREQ times in jieba's corpus are left out (they are rare names and
compounds that cost size and help little), and so is the part-of-speech tag (not used). Words
made only of ASCII are left out too (rdec lower-cases and keeps ASCII runs whole). The
result is xz-compressed (about 1 MB).
"""

from __future__ import annotations

import lzma
from collections import Counter
from pathlib import Path

import jieba
import opencc

MIN_FREQ = 3
OUT = Path(__file__).resolve().parent.parent / "rdec" / "analytics" / "data" / "jieba-hant.txt.xz"


def main() -> None:
    source = Path(jieba.__file__).parent / "dict.txt"
    converter = opencc.OpenCC("s2twp")
    words: Counter[str] = Counter()
    for line in source.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) < 2 or int(parts[1]) < MIN_FREQ or parts[0].isascii():
            continue
        word = converter.convert(parts[0])
        if " " in word:
            continue
        words[word] += int(parts[1])
    text = "".join(f"{w} {n}\n" for w, n in sorted(words.items()))
    OUT.write_bytes(lzma.compress(text.encode("utf-8"), preset=9 | lzma.PRESET_EXTREME))
    print(f"{len(words):,} words → {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
