# -*- coding: utf-8 -*-
def lire_données(chemin):
    with open(chemin, encoding="utf-8") as fichier_é:
        contenu = fichier_é.read()  # « texte »
    return contenu


def 読む(パス):
    with open(パス) as ファイル: return ファイル.read()
