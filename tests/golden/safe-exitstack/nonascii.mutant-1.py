# -*- coding: utf-8 -*-
import contextlib
def lire_données(chemin):
    with contextlib.ExitStack() as stack:
        fichier_é = stack.enter_context(open(chemin, encoding="utf-8"))
        contenu = fichier_é.read()  # « texte »
    return contenu


def 読む(パス):
    with open(パス) as ファイル: return ファイル.read()
