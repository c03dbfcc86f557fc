"""Writes message.eml with Python's email package: a multipart/alternative body (plain text in
quoted-printable, HTML) and two attachments (a text file and a binary one)."""
from email.message import EmailMessage
from email.policy import SMTP

m = EmailMessage()
m["Subject"] = "Flooding on the Rhine at Köln"
m["From"] = "Anna Müller <anna@example.org>"
m["To"] = "team@example.org"
m["Date"] = "Tue, 01 Dec 2026 09:30:00 +0100"
m.set_content("The gauge at Köln reads 8.2 metres.\nSandbags are ready by the bridge.\n", cte="quoted-printable")
m.add_alternative("<p>The gauge at <b>Köln</b> reads 8.2 metres.</p>", subtype="html")
m.add_attachment("Levels by hour.\n".encode(), maintype="text", subtype="plain", filename="levels.txt")
m.add_attachment(bytes(range(256)), maintype="application", subtype="octet-stream", filename="gauge.bin")
with open("message.eml", "wb") as f:
    f.write(m.as_bytes(policy=SMTP))
