"""The floor of benchmarks/load.py: a bare Streamlit page with one plotly chart and one filter.

Nothing of thidua: what Streamlit and plotly cost on this machine for a page a leader could open.
"""

import plotly.graph_objects as go
import streamlit as st

CLUSTERS = [f"Cụm thi đua số {i}" for i in range(1, 7)]

cluster = st.sidebar.selectbox("Cụm, khối thi đua", CLUSTERS)
st.title(f"Xếp hạng {cluster}")
n = CLUSTERS.index(cluster)
units = [f"Đơn vị {i}" for i in range(1, 13)]
scores = [90 - 2.5 * i + n for i in range(len(units))]
st.plotly_chart(
    go.Figure(go.Bar(x=scores, y=units, orientation="h"), layout={"title": {"text": cluster}})
)
