# -*- coding: utf-8 -*-
import contextlib
def lire_données(chemin):
    with open(chemin, encoding="utf-8") as fichier_é:
        contenu = fichier_é.read()  # « texte »
    return contenu


def 読む(パス):
    with contextlib.ExitStack() as stack:
        ファイル = stack.enter_context(open(パス))
        return ファイル.read()
