"""The groups of province indicators, in the order of the plan for Chỉ thị 34-CT/TU."""

from dashboard import charts

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
    STRUCTURE: ("Cơ cấu kinh tế", charts.SECTOR_KEYS),
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
