# Journal d'événements
class Journal:
    """Écrit le journal « café »."""

    def __init__(self, chemin):
        self._fichier_été = open(chemin, "a", encoding="utf-8")

    def écrire(self, ligne):
        self._fichier_été.write("→ " + ligne)

    def fermer(self):
        self._fichier_été.close()
