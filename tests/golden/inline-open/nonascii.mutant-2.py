# -*- coding: utf-8 -*-
import json


def charger(chemin_fichier):
    """Lit « données » depuis le fichier."""
    with open(chemin_fichier, encoding="utf-8") as fichier_é:
        données = json.load(fichier_é)
    return données


def 読む(パス):
    return open(パス).read()  # 日本語
