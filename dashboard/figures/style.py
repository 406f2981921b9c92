"""The colours and words every chart shares, whatever draws it (the page's plotly figure, the
PDF page or the native PowerPoint chart): part of what a figure model says."""

NO_DATA = "Chưa có dữ liệu để vẽ biểu đồ này."
MERGER_LABEL = "Sáp nhập tỉnh 01/7/2025"

LEAD = "#C62828"  # the leading unit: the red of the emulation flag
UNIT = "#4C72B0"
MUTED = "#B8BEC8"
SELF = "#E08E0B"
ASSESSED = "#1F5FA8"
OVER = "#C62828"
GREY_LINE = "#9AA3AF"
SERIES_LINE = "#37474F"
STATUS_COLORS = {"đạt": "#2E7D32", "vượt": "#1565C0", "chưa đạt": "#C62828", None: "#8A8F98"}
MET_COLORS = {True: "#2E7D32", False: "#C62828", None: "#9E9E9E"}
PERIOD_COLORS = {
    "year": "#1F5FA8",
    "H1": "#7FA7D9",
    "Q1": "#B5651D",
    "Q2": "#D9A066",
    "Q3": "#6B8E23",
    "Q4": "#A3C16B",
}
SERIES_COLORS = [
    "#1F5FA8",
    "#C62828",
    "#2E7D32",
    "#E08E0B",
    "#6A3D9A",
    "#00838F",
    "#8D6E63",
    "#D81B60",
    "#546E7A",
    "#7CB342",
    "#5E35B1",
    "#F4511E",
]
