# -*- coding: utf-8 -*-
def lire_données(chemin):
    fichier_é = open(chemin, encoding="utf-8")
    contenu = fichier_é.read()  # « texte »
    fichier_é.close()
    return contenu


def 読む(パス):
    with open(パス) as ファイル:
        内容 = ファイル.read()
    return 内容
