"""The server process: Streamlit started warm (serve.py, warmup.py) and who may upload (upload_guard.py)."""
