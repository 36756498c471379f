def lies(pfad):
    """Liest die Datei ganz – für Grüße."""
    datei = open(pfad, encoding="utf-8")
    grüße = datei.read()
    return grüße
