"""The printable home-exercise handout of a prescription: what it shows (`content`) and
the PDF made of it (`pdf`)."""
