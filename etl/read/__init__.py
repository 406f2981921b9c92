"""Reading workbooks: cells, layouts, criteria trees, text and numbers as offices type them."""
