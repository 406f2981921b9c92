"""Developer tools kept out of the shipped packages: the sample workbook generators."""
