"""thidua ETL: reads the emulation workbooks offices really make and loads them into DuckDB."""
