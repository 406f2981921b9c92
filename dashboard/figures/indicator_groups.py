"""The groups of province indicators, in the order of the plan for Chỉ thị 34-CT/TU."""

from collections.abc import Sequence

from dashboard.figures.indicators import SECTOR_KEYS

STRUCTURE = "co_cau"
# The groups of the plan for Chỉ thị 34-CT/TU (Kế hoạch kèm Quyết định 959/QĐ-UBND, III.6), in
# its order: URL value -> (name, indicator keys).
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "tang_truong": (
        "Tăng trưởng kinh tế",
        (
            "grdp_growth",
            "grdp_growth_agri",
            "grdp_growth_industry",
            "grdp_growth_services",
            "grdp_per_capita",
        ),
    ),
    STRUCTURE: ("Cơ cấu kinh tế", SECTOR_KEYS),
    "ngan_sach": (
        "Thu ngân sách, năng suất",
        ("labour_productivity_growth", "budget_revenue_growth", "tax_fee_growth"),
    ),
    "giam_ngheo": ("Giảm nghèo", ("poor_household_rate", "poor_household_rate_ethnic")),
    "van_hoa": (
        "Văn hóa – xã hội",
        (
            "cultural_families",
            "cultural_villages",
            "new_rural_culture_communes",
            "civilized_urban_wards",
            "cultural_agencies",
        ),
    ),
}
OTHER = "khac"  # indicators of an uploaded sheet that the plan does not name
OTHER_NAME = "Chỉ tiêu khác"


def present_groups(keys: Sequence[str]) -> dict[str, tuple[str, list[str]]]:
    """The groups that have some of ``keys``, each with its keys in the plan's order; keys the
    plan does not name come last, as "Chỉ tiêu khác", in the order given."""
    out = {
        slug: (name, [k for k in members if k in keys]) for slug, (name, members) in GROUPS.items()
    }
    known = {k for _, members in GROUPS.values() for k in members}
    out[OTHER] = (OTHER_NAME, [k for k in dict.fromkeys(keys) if k not in known])
    return {slug: group for slug, group in out.items() if group[1]}
