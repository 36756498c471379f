# -*- coding: utf-8 -*-
def lire_données(chemin):
    with open(chemin, encoding="utf-8") as fichier_é:
        contenu = fichier_é.read()  # « texte »
    return contenu


def 読む(パス):
    ファイル = open(パス)
    try:
        return ファイル.read()
    finally:
        ファイル.close()
