# -*- coding: utf-8 -*-
def lire_données(chemin):
    fichier_é = open(chemin, encoding="utf-8")
    try:
        contenu = fichier_é.read()  # « texte »
    finally:
        fichier_é.close()
    return contenu


def 読む(パス):
    with open(パス) as ファイル: return ファイル.read()
