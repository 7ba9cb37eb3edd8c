"""Render: content to HTML (templates, localisation, fonts, palette), HTML to PDF.

WeasyPrint is imported by ``pdf`` only, when a PDF is really made; ``finish``
adds what WeasyPrint does not write, ``impose`` lays out the office-printer
booklet.
"""
