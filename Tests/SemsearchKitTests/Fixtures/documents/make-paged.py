"""Writes deck.pptx with python-pptx and pages.pdf with reportlab: documents whose units (slides,
pages) the tests locate chunks in, made by other producers than pandoc and LibreOffice.
Run by hand (`pip install python-pptx reportlab`); the tests only read the files."""
from pptx import Presentation
from pptx.util import Inches
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

deck = Presentation()
title_only, blank, title_and_body = deck.slide_layouts[5], deck.slide_layouts[6], deck.slide_layouts[1]
slide = deck.slides.add_slide(title_and_body)
slide.shapes.title.text = "Gauges"
slide.placeholders[1].text = "The gauge at Kaub sets the barge loads."
slide = deck.slides.add_slide(title_and_body)
slide.shapes.title.text = "Locks"
slide.placeholders[1].text = "Iffezheim is the last lock on the Upper Rhine."
slide.notes_slide.notes_text_frame.text = "Ask about the fish pass."
deck.slides.add_slide(blank)  # slide 3: no text at all
slide = deck.slides.add_slide(title_only)
slide.shapes.title.text = "Ferries"
box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
box.text_frame.text = "Cable ferries cross where no bridge stands."
deck.save("deck.pptx")

pages = ["The first page is about the source of the river in the Alps.",
         "The second page describes the falls at Schaffhausen.",
         "The third page follows the river to the North Sea."]
pdf = canvas.Canvas("pages.pdf", pagesize=A4)
for text in pages:
    pdf.drawString(72, 760, text)
    pdf.showPage()
pdf.save()
