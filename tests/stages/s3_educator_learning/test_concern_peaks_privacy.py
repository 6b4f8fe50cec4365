"""Where educators' concerns peak (stage 3's `peak_counts`) tells no educator's peak: "12 of 12 peak
at stage 3", a count under the educators' threshold (zero included), or a stage left out of the
table (which says nobody peaks there) would. Every stage is listed; small counts are withheld with
others so the total minus the shown counts cannot give them back; a share near 0% or 100% shows only
its band. The reader below knows the total and every shown figure, and bounds each withheld count."""

import pandas as pd

from kit.privacy import code_shares
from kit.stages.s3_educator_learning.analysis import STAGE_NAMES, peak_counts
from kit.stages.s3_educator_learning.app import peaks_table_html

THRESHOLD = 5
WITHHELD = "withheld to protect groups of fewer than 5 educators"


def scores_peaking_at(peaks: list[int], window: str = "spring") -> pd.DataFrame:
    """Scored Stages of Concern profiles: educator i's raw score is 30 at stage peaks[i], 5 elsewhere."""
    return pd.DataFrame({"educator_id": [f"E{i}" for i in range(len(peaks))], "window": window, "scored": True,
                         **{f"stage_{s}": [30.0 if s == p else 5.0 for p in peaks] for s in STAGE_NAMES}})


def ranges_a_reader_finds(table: pd.DataFrame, total: int) -> list[tuple[int, int]]:
    """Each stage's count as a reader bounds it: a shown count exactly; a coded share within its band; a
    withheld one from 0 to the total; then every count is what the total leaves after the others."""
    low, high = [], []
    for count, text in zip(table["educators"], table["share_text"]):
        if pd.notna(count):
            low.append(int(count))
            high.append(int(count))
        elif text:
            band = [k for k in range(total + 1) if code_shares([k / total], [total], 5)["share_text"][0] == text]
            low.append(min(band))
            high.append(max(band))
        else:
            low.append(0)
            high.append(total)
    return [(max(lo, total - (sum(high) - hi)), min(hi, total - (sum(low) - lo))) for lo, hi in zip(low, high)]


def test_twelve_of_twelve_at_one_stage_tells_nobody_s_peak():
    table = peak_counts(scores_peaking_at([3] * 12), "spring", min_group_size=THRESHOLD)
    assert table["stage"].tolist() == list(STAGE_NAMES)  # every stage listed: none left out as "nobody"
    # Six stages with none: withheld; 12 would then say the six hold 0, so it is withheld with them, and
    # "≥75%" would leave them 0 to 3 together, narrower than 5 educators.
    assert table["suppressed"].all() and table["educators"].isna().all() and (table["share_text"] == "").all()
    assert set(table["note"]) == {WITHHELD}
    html = peaks_table_html(table, "spring")
    assert ">12<" not in html and "100%" not in html and "Management" in html


def test_counts_under_the_threshold_are_withheld_with_a_complement():
    peaks = [3] * 12 + [5] * 10 + [1] * 5 + [0] * 3
    table = peak_counts(scores_peaking_at(peaks), "spring", min_group_size=THRESHOLD)
    assert table["educators"].astype("Float64").fillna(-1).tolist() == [-1, -1, -1, 12, -1, 10, -1]
    assert table["share_text"].tolist() == ["", "", "", "40%", "", "33%", ""]
    # Stage 0's 3 and the zeros would be 30 - 12 - 10 - 5 = 3 together: stage 1's 5 goes with them.
    for stage, (low, high) in enumerate(ranges_a_reader_finds(table, len(peaks))):
        if table.loc[stage, "suppressed"]:
            assert high - low >= THRESHOLD, (stage, low, high)


def test_a_stage_nearly_every_educator_peaks_at_shows_only_its_band():
    # 250 educators: the band is ceil(100 * 3 / 250) = 2%, 5 educators; 245 at stage 3, 5 at stage 4.
    peaks = [3] * 245 + [4] * 5
    table = peak_counts(scores_peaking_at(peaks), "spring", min_group_size=THRESHOLD).set_index("stage")
    assert table.loc[3, "share_text"] == "≥98%" and pd.isna(table.loc[3, "educators"])
    assert pd.isna(table.loc[3, "share"])
    ranges = ranges_a_reader_finds(table.reset_index(), len(peaks))
    assert ranges[3] == (245, 250)  # the whole band: 0 to 5 educators elsewhere
    assert all(high - low >= THRESHOLD for stage, (low, high) in enumerate(ranges) if table.loc[stage, "suppressed"])
    assert "245" not in peaks_table_html(table.reset_index(), "spring")
