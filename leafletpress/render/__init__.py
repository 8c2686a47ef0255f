"""Stage 3, pages: HTML from the template, layout by WeasyPrint, checks on the pages and the PDF."""
