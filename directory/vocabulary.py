"""The spec's controlled vocabulary: needs, publics, networks, remote-service kinds.

Each enum member carries the slug used everywhere in code and data (exactly the
spec's names) and the French label shown to citizens and staff.
"""
from __future__ import annotations

import enum


class SlugLabelEnum(str, enum.Enum):
    """A str enum whose value is the slug and which also carries a French label."""

    def __new__(cls, slug: str, label: str):
        member = str.__new__(cls, slug)
        member._value_ = slug
        member.label = label
        return member

    def __str__(self) -> str:
        return self.value

    @classmethod
    def from_slug(cls, slug: str):
        """Returns the member for `slug`, or raises ValueError with a French message."""
        try:
            return cls(slug)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise ValueError(f"Valeur inconnue « {slug} » (valeurs possibles : {allowed}).") from None


class Need(SlugLabelEnum):
    ORIENTATION_SCOLAIRE = ("orientation_scolaire", "Choisir ses études, son orientation scolaire")
    INFO_METIER = ("info_metier", "S'informer sur un métier")
    RECONVERSION = ("reconversion", "Changer de métier, évoluer professionnellement")
    RECHERCHE_EMPLOI = ("recherche_emploi", "Trouver un emploi")
    FORMATION = ("formation", "Trouver une formation")
    ALTERNANCE = ("alternance", "Trouver une alternance (apprentissage, contrat de professionnalisation)")
    FINANCEMENT_FORMATION = ("financement_formation", "Financer une formation")
    VAE = ("vae", "Faire valider son expérience (VAE)")
    BILAN_COMPETENCES = ("bilan_competences", "Faire un bilan de compétences")
    CREATION_ENTREPRISE = ("creation_entreprise", "Créer ou reprendre une entreprise")
    DECROCHAGE = ("decrochage", "Jeune sorti·e de l'école sans diplôme")
    REPRISE_ACTIVITE = ("reprise_activite", "Reprendre une activité après une interruption")
    MOBILITE_INTERNATIONALE = ("mobilite_internationale", "Étudier, travailler ou faire du volontariat à l'étranger")


class Public(SlugLabelEnum):
    COLLEGIEN = ("collegien", "Collégien·ne")
    LYCEEN = ("lyceen", "Lycéen·ne")
    ETUDIANT = ("etudiant", "Étudiant·e")
    APPRENTI = ("apprenti", "Apprenti·e")
    SALARIE = ("salarie", "Salarié·e")
    INDEPENDANT = ("independant", "Indépendant·e")
    DEMANDEUR_EMPLOI = ("demandeur_emploi", "Demandeur·se d'emploi")
    SANS_ACTIVITE = ("sans_activite", "Sans activité")
    PARENT = ("parent", "Parent (pour son enfant)")


class Network(SlugLabelEnum):
    CIO = ("cio", "Centre d'information et d'orientation (CIO)")
    SUIO = ("suio", "Service universitaire d'information et d'orientation (SUIO)")
    MISSION_LOCALE = ("mission_locale", "Mission locale")
    FRANCE_TRAVAIL = ("france_travail", "France Travail (ex-Pôle emploi)")
    CAP_EMPLOI = ("cap_emploi", "Cap emploi")
    APEC = ("apec", "Apec")
    TRANSITIONS_PRO = ("transitions_pro", "Transitions Pro (ex-Fongecif)")
    INFO_JEUNESSE = ("info_jeunesse", "Information Jeunesse (CRIJ, BIJ, PIJ)")
    CIDFF = ("cidff", "Centre d'information sur les droits des femmes et des familles (CIDFF)")
    CCI = ("cci", "Chambre de commerce et d'industrie (CCI)")
    CMA = ("cma", "Chambre de métiers et de l'artisanat (CMA)")
    CHAMBRE_AGRICULTURE = ("chambre_agriculture", "Chambre d'agriculture")
    CONSEIL_VAE = ("conseil_vae", "France VAE / point relais conseil VAE")
    PSAD = ("psad", "Plateforme de suivi et d'appui aux décrocheurs (PSAD)")
    # In the open data but not in the referral matrix: kept for the directory's
    # completeness (a region may add them to its overrides).
    FRANCE_SERVICES = ("france_services", "France services")
    GRETA = ("greta", "Greta (formation continue de l'Éducation nationale)")


# Whom each network serves, in French (from the spec's networks table).
NETWORK_SERVES: dict[Network, str] = {
    Network.CIO: "élèves, étudiant·es, parents, tout public (premier accueil)",
    Network.SUIO: "étudiant·es",
    Network.MISSION_LOCALE: "jeunes de 16 à 25 ans sortis de l'école ; conseil en évolution professionnelle",
    Network.FRANCE_TRAVAIL: "demandeur·ses d'emploi ; conseil en évolution professionnelle",
    Network.CAP_EMPLOI: "personnes en situation de handicap ; conseil en évolution professionnelle",
    Network.APEC: "cadres et jeunes diplômé·es ; conseil en évolution professionnelle",
    Network.TRANSITIONS_PRO: "salarié·es : conseil en évolution professionnelle, financement des transitions",
    Network.INFO_JEUNESSE: "jeunes : vie quotidienne, mobilité, emploi",
    Network.CIDFF: "femmes, reprise d'activité",
    Network.CCI: "création d'entreprise, apprentissage (commerce, industrie, services)",
    Network.CMA: "artisanat : apprentissage, création d'entreprise",
    Network.CHAMBRE_AGRICULTURE: "agriculture : installation, formation",
    Network.CONSEIL_VAE: "toute personne qui veut faire une VAE",
    Network.PSAD: "jeunes de 16 à 25 ans sortis de l'école sans diplôme",
    Network.FRANCE_SERVICES: "tout public : accès aux services publics",
    Network.GRETA: "adultes : formation continue",
}


class RemoteKind(SlugLabelEnum):
    PHONE = ("phone", "Téléphone")
    TCHAT = ("tchat", "Tchat")
    WEB = ("web", "Site web")
    VISIO = ("visio", "Visio")
    MAIL = ("mail", "Courriel")


# Trade sectors, by the chamber that accompanies them: commerce, industry and
# services (CCI), crafts (chambre de métiers et de l'artisanat), farming (chambre
# d'agriculture).
SECTEURS = ("commerce", "artisanat", "agriculture")
