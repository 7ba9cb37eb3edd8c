"""Render: content to HTML (templates, localisation, fonts, palette), HTML to PDF.

WeasyPrint is imported by ``pdf`` only, when a PDF is really made (and by
``languages``, which reads its laid-out boxes then); ``finish`` adds what
WeasyPrint does not write (the screen edition's PDF/UA structure with ``tags``,
``links`` and ``languages``), ``impose`` lays out the office-printer booklet.
"""
