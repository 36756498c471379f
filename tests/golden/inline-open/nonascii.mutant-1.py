# -*- coding: utf-8 -*-
import json


def charger(chemin_fichier):
    """Lit « données » depuis le fichier."""
    données = json.load(open(chemin_fichier, encoding="utf-8"))
    return données


def 読む(パス):
    with open(パス) as ファイル:
        return ファイル.read()  # 日本語
