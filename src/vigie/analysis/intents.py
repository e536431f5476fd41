"""Intents by bilingual rules, several at once, with care for negation.

Each rule has trigger words (at least one must be among the message's tokens, a set test) and a
pattern over the folded text (lower case, no accents). Only rules whose triggers are present run
their regular expression, which keeps the whole step to a few microseconds per message. A match
preceded closely by a negation ("je ne vais pas porter plainte", "I won't sue") does not count for
rules marked negatable. A trained complaint classifier, when installed, adds complaints the rules miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigie.analysis.schemas import Intent, IntentsResult
from vigie.analysis.text import Document

NEGATION_BEFORE = re.compile(
    r"(?:\b(?:ne|n|pas|jamais|not|never|no|dont|don't|won't|wont|doesn't|didn't|aucune?|sans|without)[\s']+"
    r"(?:\w+\s+){0,2})$"
)


@dataclass(frozen=True, slots=True)
class Rule:
    key: str  # the intent's value, kept as a plain string for speed
    lang: str  # "fr", "en" or "any"
    triggers: frozenset[str]
    pattern: re.Pattern[str]
    negatable: bool
    also: frozenset[str]  # when set, one of these words must be present too (keeps common triggers cheap)
    # A match right after one of these words does not count. Checked in Python: a lookbehind at the start of the
    # pattern would be tried at every position of every text.
    not_after: frozenset[str]
    # When set, the folded text must contain one of these strings: a plain substring test, much cheaper than a
    # pattern that starts with \b, for rules whose trigger words are common. Every match of the pattern must hold
    # one of them: change both together.
    needs: tuple[str, ...]


def _rule(
    intent: Intent,
    lang: str,
    triggers: str,
    pattern: str,
    *,
    negatable: bool = False,
    also: str = "",
    not_after: str = "",
    needs: tuple[str, ...] = (),
) -> Rule:
    return Rule(
        intent.value,
        lang,
        frozenset(triggers.split()),
        re.compile(pattern),
        negatable,
        frozenset(also.split()),
        frozenset(not_after.split()),
        needs,
    )


In = Intent
RULES: tuple[Rule, ...] = (
    # --- complaint
    _rule(In.COMPLAINT, "fr", "toujours jamais pas rien recu livre arrive rembourse",
          r"\b(?:toujours pas|jamais|pas|rien)\s+(?:(?:ete|encore|eu|de)\s+)?(?:recue?s?|livree?s?|arrivee?s?|"
          r"remboursee?s?|de reponse|de nouvelles|de retour)\b",
          also="recu recue recus recues livre livree livres livrees arrive arrivee arrives arrivees rembourse remboursee "
          "rembourses remboursees reponse nouvelles retour"),
    _rule(In.COMPLAINT, "fr", "attends attend fait depuis", r"\b(?:j['\s]?attends|on attend|ca fait \d+ (?:jours?|semaines?|mois)|"
          r"depuis (?:\d+|plus d['\s]?une?|des) (?:jours?|semaines?|mois))\b",
          needs=("attends", "on attend", "ca fait ", "depuis ")),
    _rule(In.COMPLAINT, "fr", "colis commande produit article livraison paquet",
          r"\b(?:colis|commande|produit|article|livraison|paquet)s?\s+(?:\w+\s+){0,3}(?:perdue?s?|cassee?s?|abimee?s?|"
          r"endommagee?s?|defectueu(?:x|se)s?|incomplete?s?|en retard|erronee?s?|jamais arrivee?s?)\b"),
    _rule(In.COMPLAINT, "fr", "inadmissible inacceptable scandaleux scandale honteux honte lamentable importe arnaque "
          "escroquerie catastrophique pire nul inexistant injoignable intolerable",
          r"\b(?:inadmissible|inacceptable|intolerable|scandale(?:ux)?|honte(?:ux)?|lamentable|n['\s]?importe quoi|arnaque|"
          r"escroquerie|catastrophique|pire (?:service|experience|entreprise|site)|service client (?:nul|inexistant|"
          r"injoignable)|(?:c['\s]?est|service|sav|livraison) nul)\b"),
    _rule(In.COMPLAINT, "fr", "personne aucune sans repond repondez", r"\b(?:personne ne (?:repond|me repond)|aucune reponse|"
          r"sans reponse|ne repond(?:ez)? (?:pas|jamais|plus)|injoignables?)\b",
          needs=("personne ne ", "aucune reponse", "sans reponse", "ne repond", "injoignable")),
    _rule(In.COMPLAINT, "fr", "decu decue decus mecontent content satisfait insatisfait furieux colere marre bol",
          r"\b(?:decue?s?|mecontente?s?|pas contente?s?|pas satisfaite?s?|insatisfaite?s?|furieu(?:x|se)|en colere|"
          r"(?:en )?(?:ai|a) marre|ras le bol)\b"),
    _rule(In.COMPLAINT, "fr", "debite preleve facture", r"\b(?:debitee?s?|prelevee?s?|facturee?s?) (?:deux|2|trois|3) fois\b"),
    _rule(In.COMPLAINT, "fr", "retard", r"\b(?:en retard|retard de (?:\d+|plusieurs))\b"),
    _rule(In.COMPLAINT, "en", "still never not haven hasn didn received arrived delivered refunded",
          r"\b(?:still (?:haven'?t|have not|not|no|hasn'?t|didn'?t|waiting)|(?:never|not|haven'?t|hasn'?t|didn'?t|has not|"
          r"have not) (?:yet )?(?:been )?(?:received|arrived|got(?:ten)?|delivered|refunded|shipped)|(?:didn'?t|didnt|did not|"
          r"haven'?t|havent|have not|never) (?:yet )?(?:receive (?:my|the|any|a|an|it|them|our)|get (?:my|our|a refund|an "
          r"answer|a reply|a response|any)))\b",
          also="still received arrived got gotten delivered refunded shipped receive get",
          needs=("still hav", "still has", "still no", "still didn", "still waiting", "received", "arrived", "got",
                 "delivered", "refunded", "shipped", "receive ", "get ")),
    _rule(In.COMPLAINT, "en", "waiting waited", r"\b(?:been waiting|waiting (?:for|since) (?:\d+|over|more than|a|weeks|days|"
          r"months|my)|waited (?:for )?(?:\d+|over|weeks|days|months))\b"),
    _rule(In.COMPLAINT, "en", "package order parcel item product delivery shipment",
          r"\b(?:package|order|parcel|item|product|delivery|shipment)s?\s+(?:\w+\s+){0,3}(?:lost|broken|damaged|missing|"
          r"defective|late|delayed|wrong|never arrived)\b"),
    _rule(In.COMPLAINT, "en", "unacceptable disgraceful disgusting ridiculous terrible worst awful horrible scam rip ripoff "
          "shameful useless appalling",
          r"\b(?:unacceptable|disgraceful|disgusting|ridiculous|terrible (?:service|experience|company)|worst|awful|"
          r"horrible|scam|rip ?off|shameful|useless|appalling)\b"),
    _rule(In.COMPLAINT, "en", "no nobody", r"\b(?:no (?:response|reply|answer|refund|call ?back|call|email|compensation|"
          r"apology|explanation|communication|one (?:answers|replies|responds))|nobody (?:answers|replies|responds|cares))\b",
          also="response reply answer refund call callback email compensation apology explanation communication answers "
          "replies responds cares"),
    _rule(In.COMPLAINT, "fr", "aucun aucune", r"\baucune? (?:appel|rappel|mail|email|dedommagement|indemnisation|excuse|"
          r"explication|geste commercial|suivi)s?\b"),
    _rule(In.COMPLAINT, "en", "disappointed fed frustrated angry furious unhappy happy satisfied dissatisfied",
          r"\b(?:disappointed|fed up|frustrated|angry|furious|unhappy|not happy|not satisfied|dissatisfied)\b",
          needs=("disappointed", "fed up", "frustrated", "angry", "furious", "unhappy", "not happy", "not satisfied",
                 "dissatisfied")),
    _rule(In.COMPLAINT, "en", "charged billed", r"\b(?:charged|billed) (?:me )?(?:twice|double|two times|three times)\b"),
    _rule(In.COMPLAINT, "en", "working stopped keeps kept down outage", r"\b(?:(?:not|stopped|isn'?t|aren'?t|wasn'?t|"
          r"never) working|keeps? (?:crashing|freezing|dropping|disconnecting|failing|cutting out|logging me out)|"
          r"kept (?:crashing|freezing|dropping)|(?:is|are|was|been|went) down(?! to)|down again|outage)\b",
          needs=("not working", "stopped working", "t working", "never working", "keep", "kept ", "is down", "are down",
                 "was down", "been down", "went down", "down again", "outage")),
    # Something that fails, not a habit: "it won't print", but not "I don't print much".
    _rule(In.COMPLAINT, "en", "t not wont never", r"\b(?:doesn'?t|don'?t|didn'?t|"
          r"won'?t|wont|does not|do not|did not|will not|isn'?t|aren'?t|wasn'?t|is not|are not|never) (?:work|load|open|"
          r"connect|let me|turn on|switch on|come on|charge|sync|update|print|start|send|respond|install|pair|download|"
          r"upload|scan|accept|recogni[sz]e|refresh|stream|save|go through|come through)\b",
          also="work load open connect let turn switch come charge sync update print start send respond install pair "
          "download upload scan accept recognise recognize refresh stream save through", not_after="i we they"),
    _rule(In.COMPLAINT, "en", "t cant cannot unable", r"\b(?:can'?t|cant|cannot|unable to) (?:log ?in|sign ?in|access|"
          r"connect|get (?:through|in|my|a refund)|cancel|download|reach|use|find my|return|exchange|redeem|book|"
          r"check (?:\w+ )?in|pay)\b",
          also="log login sign signin access connect get cancel download reach use find return exchange redeem book "
          "check pay"),
    _rule(In.COMPLAINT, "fr", "impossible peux peut", r"\b(?:impossible de|je ne peux pas|on ne peut pas) (?:retourner|"
          r"echanger|rendre|reserver|utiliser mon|utiliser ma)\b", also="retourner echanger rendre reserver utiliser"),
    _rule(In.COMPLAINT, "en", "replied responded followed answered got back", r"\bnever (?:replied|responded|followed up|"
          r"answered|got back)\b", also="never"),
    _rule(In.COMPLAINT, "en", "reply respond answer", r"\b(?:(?:do|does|did) not|don'?t|doesn'?t|didn'?t|never) "
          r"(?:reply|respond|answer)\b", also="not t dont doesnt didnt never",
          needs=("not reply", "not respond", "not answer", "t reply", "t respond", "t answer", "never reply",
                 "never respond", "never answer")),
    # something that is not doing what it should
    _rule(In.COMPLAINT, "en", "connecting loading charging powering printing syncing updating responding opening sending "
          "downloading streaming accepting showing registering recognising recognizing",
          r"\b(?:not|isn'?t|aren'?t|wasn'?t|stopped) (?:connecting|loading|charging|powering on|turning on|printing|syncing|"
          r"updating|responding|opening|sending|downloading|streaming|accepting|showing|registering|recogni[sz]ing)\b",
          also="not t isnt arent wasnt stopped"),
    _rule(In.COMPLAINT, "fr", "connecte allume imprime synchronise affiche demarre envoie", r"\bne (?:se )?"
          r"(?:connecte|s['\s]?allume|imprime|synchronise|s['\s]?affiche|demarre|envoie) (?:pas|plus|jamais)\b"),
    _rule(In.COMPLAINT, "en", "seem exist", r"\b(?:(?:doesn'?t|don'?t|didn'?t) seem to (?:be )?(?:work|working|load|"
          r"loading|connect)|(?:does|do) not exist|(?:doesn'?t|don'?t) exist)\b"),
    _rule(In.COMPLAINT, "en", "offline", r"\b(?:constantly|always|keeps? going|still) offline\b"),
    _rule(In.COMPLAINT, "fr", "ligne", r"\b(?:toujours|constamment|encore) hors ligne\b"),
    _rule(In.COMPLAINT, "en", "account", r"\baccount (?:has been |was |is |got )?(?:closed|suspended|blocked|locked|hacked|"
          r"restricted|deactivated|disabled|banned)\b", needs=("account ",)),
    _rule(In.COMPLAINT, "fr", "compte", r"\bcompte (?:a ete |est |a )?(?:suspendu|ferme|desactive|pirate)\b",
          also="suspendu ferme desactive pirate"),
    # what should have happened, and when it will
    _rule(In.COMPLAINT, "en", "should", r"\b(?:should(?:'ve| have) (?:been|arrived) (?:dispatched|delivered|shipped|sent|"
          r"fixed|refunded|here|resolved|ready)|should (?:have )?never (?:have )?happened)\b",
          needs=("should've been", "should have been", "should've arrived", "should have arrived", "never happened",
                 "never have happened")),
    _rule(In.COMPLAINT, "fr", "aurait auraient", r"\baurai(?:t|ent) du (?:etre (?:livree?s?|expediee?s?|remboursee?s?|"
          r"reparee?s?|la)|arriver)\b", needs=("du etre", "du arriver")),
    _rule(In.COMPLAINT, "en", "expect receive get", r"\bwhen (?:should|will|can|do) i (?:expect|get|receive) (?:a|my|"
          r"the|an|any) (?:response|reply|refund|answer|call ?back|money|order|parcel|package)\b", also="when",
          needs=("when should i ", "when will i ", "when can i ", "when do i ")),
    _rule(In.COMPLAINT, "fr", "quand", r"\bquand (?:vais[- ]je|est[- ]ce que je vais|je vais) (?:recevoir|etre "
          r"remboursee?|avoir (?:une|ma) reponse)\b", also="recevoir etre avoir"),
    _rule(In.COMPLAINT, "en", "sent", r"\bsent (?:you )?(?:multiple|several|many|numerous|\d+|two|three) (?:emails|messages|"
          r"dms|mails|tweets)|\bsent you (?:a |an )?(?:dm|email|message|mail) (?:yesterday|last week|on \w+day|\d+ days "
          r"ago|days ago)\b"),
    _rule(In.COMPLAINT, "fr", "envoye ecrit", r"\b(?:envoye|ecrit) (?:\w+ ){0,2}(?:plusieurs|\d+|deux|trois) (?:mails|"
          r"messages|courriers|e-mails)\b", also="mails messages courriers"),
    _rule(In.COMPLAINT, "en", "ripping rip ripped treated", r"\b(?:rip(?:ping|ped)? (?:\w+ )?off|treated like (?:a |an )?"
          r"(?:criminal|dirt|idiot|child))\b"),
    _rule(In.COMPLAINT, "en", "going happening up wrong", r"\bwhat(?:'s| is) (?:going on|happening|up with|wrong with)\b",
          also="what whats"),
    _rule(In.COMPLAINT, "en", "went cut", r"\b(?:went out|cut off|cut out)\b", also="power internet service signal"
          " phone line call"),
    _rule(In.COMPLAINT, "en", "still", r"\bstill (?:can'?t|cannot|no|not|nothing|waiting|in|getting|having|broken|"
          r"charging|haven)\b",
          needs=("still ca", "still no", "still waiting", "still in", "still getting", "still having", "still broken",
                 "still charging", "still haven")),
    _rule(In.COMPLAINT, "en", "reason eta update help really answer response reply news feedback",
          r"\b(?:any reason|eta (?:on|for)|any update|any (?:answer|response|reply|news|feedback) (?:on|to|yet|regarding|"
          r"about)|(?:need|needs|please) help|help!|really\?)", also="any on for need needs please",
          needs=("any ", "eta ", "help", "really?")),
    # a customer asking for the fix, the explanation or the money
    _rule(In.COMPLAINT, "en", "gives explain into something sort fix money",
          r"\b(?:what gives|(?:please|pls|plz) (?:explain|look into|have (?:this|it) looked into|do something|sort (?:this|"
          r"it) out|fix (?:this|it))|(?:give|want|need) (?:me )?(?:my|our) money back)\b", also="what please pls plz back"),
    _rule(In.COMPLAINT, "fr", "quoi blague faites regler corriger reparer expliquer rendez remboursez argent",
          r"\b(?:c['\s]?est quoi (?:ce|cette) (?:service|bordel|delire|travail|blague)|c['\s]?est une blague|faites "
          r"quelque chose|(?:merci de|svp|stp|s['\s]?il vous plait,?) (?:regler|corriger|reparer|"
          r"m['\s]?expliquer)|rendez[- ]moi mon argent|remboursez[- ]moi|je veux (?:etre remboursee?|mon argent))\b"),
    # a device that gives up
    _rule(In.COMPLAINT, "en", "died dead powering turning switching shutting apart drains draining",
          r"\b(?:died|went dead|gone dead|go dead|(?:is|are) dead|(?:keeps|kept|been|is) (?:powering|turning|switching|"
          r"shutting) (?:off|down)|falling apart|drains? my|draining my)\b", also="my battery phone laptop screen"),
    _rule(In.COMPLAINT, "fr", "morte mort lache eteint decharge", r"\b(?:(?:batterie|ecran|appareil|telephone|portable) "
          r"(?:\w+ ){0,2}(?:morte?|a lache)|s['\s]?eteint tout seul|se decharge (?:en|tout))\b"),
    # not available to the customer
    _rule(In.COMPLAINT, "en", "stock bring coming", r"\b(?:back in stock|bring back|coming back|out of stock)\b",
          also="back stock"),
    _rule(In.COMPLAINT, "fr", "rupture stock", r"\b(?:rupture de stock|plus en stock|jamais en stock)\b"),
    _rule(In.COMPLAINT, "en", "valid available shown showing clear visible accepted recognised recognized",
          r"\b(?:is|are|was|were) not (?:valid|available|shown|showing|clear|visible|accepted|recogni[sz]ed)\b",
          also="not"),
    _rule(In.COMPLAINT, "en", "service policy protocol customer",
          r"\bis this (?:your|the|what you call) (?:\w+ ){0,3}(?:service|policy|protocol|customer)", also="this"),
    _rule(In.COMPLAINT, "en", "progress luck joy", r"\bno (?:progress|luck|joy)\b", also="no"),
    _rule(In.COMPLAINT, "en", "locked kicked logged", r"\b(?:locked|kicked|logged) out of (?:my|our|the)\b", also="out"),
    _rule(In.COMPLAINT, "fr", "bloque bloquee", r"\b(?:compte (?:\w+ )?bloquee?|bloquee? (?:mon|ma|notre) (?:compte|carte|acces))\b"),
    _rule(In.COMPLAINT, "en", "impressed promised unable responding", r"\b(?:not (?:at all |very |too )?impressed|"
          r"(?:they|you|was|were|had|been) promised|unable to|stopped responding)\b"),
    _rule(In.COMPLAINT, "en", "broadband internet wifi signal service power connection heating", r"\bno (?:broadband|"
          r"internet|wifi|signal|service|power|connection|heating|hot water) (?:since|for|all|again|today|yesterday)\b",
          also="no"),
    # a utility or a basic amenity missing, whatever the time
    _rule(In.COMPLAINT, "en", "water heat heating electricity signal wifi internet broadband toilet soap",
          r"\bno (?:running |hot )?(?:water|heat|heating|electricity|signal|wifi|internet|broadband|toilet paper|soap)\b",
          also="no"),
    _rule(In.COMPLAINT, "fr", "eau chauffage electricite reseau internet wifi", r"\b(?:pas|plus|sans|toujours pas) "
          r"(?:d['\s]?eau|de chauffage|d['\s]?electricite|de reseau|d['\s]?internet|de wifi)\b", also="pas plus sans"),
    _rule(In.COMPLAINT, "en", "enough respect", r"\b(?:not good enough|no respect (?:for|to))\b"),
    _rule(In.COMPLAINT, "en", "why", r"\bwhy (?:is|are|does|do|did|can'?t|cant|won'?t|isn'?t|aren'?t|hasn'?t|haven'?t|"
          r"was|were|would|has|have|am|should)\b"),
    _rule(In.COMPLAINT, "fr", "pourquoi", r"\bpourquoi (?:est[- ]ce que |)(?:je n|on n|vous n|il n|ca ne|rien|personne|"
          r"toujours|encore|ma commande|mon colis|ma livraison|mon remboursement|c['\s]?est (?:si|toujours|encore))"),
    _rule(In.COMPLAINT, "en", "where letting able nothing stops stopped gone act fixed fix fixit tarmac stranded hung "
          "resolved unresolved regret regretting appeared showed turned",
          r"\b(?:where(?: is|'s|s) my (?:\w+ )?(?:parcel|order|package|refund|money|delivery|bill|item|stuff|tickets?)|"
          r"(?:not|isn'?t|wasn'?t) letting me|not able to|nothing works|stops? working|gone (?:off|down|again)|"
          r"(?:is|are) not (?:opening|loading|showing|working|appearing|responding)|get (?:your|it|their) act together|"
          r"(?:get|have|need) (?:it|this) fixed|#?fix ?it|(?:sitting|stuck) on (?:the )?tarmac|stranded|hung up on|"
          r"(?:not|nt|never|un)resolved|(?:not|nt|never) (?:been )?resolved|regret(?:ting)? (?:to )?(?:purchas|buy)\w*|"
          r"never (?:appeared|showed up|turned up|came))\b"),
    _rule(In.COMPLAINT, "en", "problem problems issue issues trouble", r"\b(?:(?:having|have|had|with|same|another|still) "
          r"(?:problems?|issues?|trouble)|(?:problem|issue)s? (?:with|again)|(?:fix|sort) (?:this|it|your|the) (?:problem|issue))"
          r"\b", negatable=True),
    _rule(In.COMPLAINT, "en", "delayed cancelled canceled late hold yet heard", r"\b(?:delayed|cancell?ed|"
          r"\d+ ?(?:mins?|minutes|hours?|hrs?) late|(?:late|delayed) again|running late|on hold (?:for )?(?:\d+|over|an|half)|"
          r"hold time|yet to (?:arrive|receive|hear|get|be)|(?:haven'?t|have not|not|never) heard (?:back|anything|from|a thing|"
          r"a word)|(?:\d+|two|three|few) (?:days?|weeks?) late|days late)\b"),
    _rule(In.COMPLAINT, "en", "back dealt replied responded helped contacted called", r"\b(?:no one|nobody|noone) "
          r"(?:has |have |had |ever )?(?:(?:got|gotten|get|come|came) back|dealt with|replied|responded|helped|contacted|"
          r"called)\b", also="no nobody noone"),
    _rule(In.COMPLAINT, "en", "been", r"\bbeen (?:over |almost |nearly |more than )?(?:\d+|two|three|four|five|a few|"
          r"several) (?:days|weeks|months|hours)\b", also="days weeks months hours"),
    _rule(In.COMPLAINT, "en", "joke poor waste nothing together sort",
          r"\b(?:(?:absolute|total|complete|such a|what a|a) joke|poor (?:service|customer service|quality|experience|"
          r"communication|show)|waste of (?:time|money|space)|thanks for nothing|get it together|sort (?:it|this) out)\b"),
    # what arrived is not what was paid for
    _rule(In.COMPLAINT, "en", "arrived came come received got sent gave delivered",
          r"\b(?:arrived|came|come|received|got|sent me|gave me|delivered) (?:\w+ ){0,2}(?:broken|cold|damaged|smashed|"
          r"cracked|ripped|torn|opened|empty|half empty|leaking|melted|stale|expired|wrong|incomplete|missing)\b",
          also="broken cold damaged smashed cracked ripped torn opened empty leaking melted stale expired wrong incomplete "
          "missing"),
    _rule(In.COMPLAINT, "fr", "arrive arrivee arrives arrivees recu recue recus recues livre livree livres livrees",
          r"\b(?:arrivee?s?|recue?s?|livree?s?) (?:\w+ ){0,2}(?:cassee?s?|abimee?s?|endommagee?s?|ouverte?s?|vides?|"
          r"froide?s?|dechiree?s?|perimee?s?|incomplete?s?|ecrasee?s?|fondue?s?)\b",
          also="casse cassee casses cassees abime abimee abimes abimees endommage endommagee endommages endommagees ouvert "
          "ouverte ouverts ouvertes vide vides froid froide froids froides dechire dechiree dechires dechirees perime perimee "
          "perimes perimees incomplet incomplete incomplets incompletes ecrase ecrasee ecrases ecrasees fondu fondue fondus "
          "fondues"),
    # chasing the company again and again
    _rule(In.COMPLAINT, "en", "called emailed phoned rang contacted messaged chased complained",
          r"\b(?:called|emailed|phoned|rang|contacted|messaged|chased|complained) (?:\w+ ){0,3}(?:twice|three times|\d+ times|"
          r"several times|multiple times|many times|countless times|numerous times|repeatedly|every day)\b",
          also="twice three times several multiple many countless numerous repeatedly every"),
    _rule(In.COMPLAINT, "fr", "appele relance contacte ecrit rappele reclame",
          r"\b(?:appele|relance|contacte|ecrit|rappele|reclame) (?:\w+ ){0,3}(?:deux fois|trois fois|\d+ fois|plusieurs fois|"
          r"maintes reprises|tous les jours)\b"),
    _rule(In.COMPLAINT, "fr", "personne", r"\bpersonne ne m['\s]?a (?:rappelee?|repondu|recontactee?|aidee?)\b"),
    # what was promised did not happen
    _rule(In.COMPLAINT, "en", "supposed meant", r"\b(?:was|were|is|are) (?:supposed|meant) to (?:arrive|be delivered|"
          r"be here|ship|be shipped|be fixed|be refunded|be launched|launch|be ready|come|be back)\b",
          needs=("supposed to ", "meant to ")),
    _rule(In.COMPLAINT, "fr", "censee censees cense censes devait devaient", r"\b(?:(?:etait|etaient|est|sont) "
          r"cense(?:e|s|es)? (?:arriver|etre (?:livree?s?|rembourse|reparee?s?|pret)|revenir)|devai(?:t|ent) (?:arriver|"
          r"etre (?:livree?s?|rembourse|reparee?s?)))\b"),
    # thanks that are not thanks
    _rule(In.COMPLAINT, "en", "thanks thank", r"\bthanks? (?:you )?(?:@?\w+ )?for (?:not (?:replying|responding|"
          r"answering|helping|fixing|letting me|telling me|"
          r"sending|delivering|getting back|refunding|calling|turning up|showing up)|nothing|ruining|wasting|losing|"
          r"cancell?ing|leaving me|making me wait|the (?:delay|wait|hassle)|charging me|sending me (?:a|the) (?:wrong|broken|"
          r"damaged))\b", also="not nothing ruining wasting losing cancelling canceling leaving making the charging sending"),
    _rule(In.COMPLAINT, "fr", "merci", r"\bmerci (?:\w+ )?(?:pour rien|(?:de|d|pour) (?:ne pas|n['\s]?avoir (?:pas|jamais)|"
          r"m['\s]?avoir (?:fait attendre|ignoree?|raccroche au nez|laissee? tomber)|l['\s]?attente|la galere))\b",
          also="rien ne n avoir m l attente galere"),
    # --- praise
    _rule(In.PRAISE, "fr", "bravo felicitations merci", r"\b(?:bravo|felicitations|merci (?:beaucoup|infiniment|mille fois|"
          r"pour (?:tout|votre|ta|la|le|les|cette|ce)|a (?:vous|toute l['\s]?equipe)))\b", negatable=True),
    _rule(In.PRAISE, "fr", "super genial excellent parfait top impeccable nickel adore recommande satisfait content ravi "
          "rien efficace", r"\b(?:(?:super|genial|excellent|parfait|top|impeccable|nickel|efficace)e?s? (?:service|equipe|"
          r"livraison|produit|appli|boulot|travail|experience|sav|accueil)|(?:service|equipe|livraison|produit|appli|sav|"
          r"accueil|livreur) (?:\w+ )?(?:super|genial|excellent|parfait|au top|impeccable|nickel|rapide|efficace)e?s?|"
          r"j['\s]?adore|je (?:vous )?recommande|tres (?:satisfaite?|contente?|bien)|ravie?s?|au top|rien a redire)\b",
          negatable=True),
    _rule(In.PRAISE, "en", "thank thanks love great well amazing awesome excellent recommend happy pleased satisfied kudos "
          "best fantastic", r"\b(?:thank (?:you|u)|thanks|love (?:it|this|you|your|the)|great (?:service|job|team|product|"
          r"app|experience|support)|well done|amazing|awesome|excellent|fantastic|highly recommend|(?:very|so|really) "
          r"(?:happy|pleased|satisfied)|kudos|best (?:service|customer service|team|support))\b", negatable=True),
    # --- bug report
    _rule(In.BUG_REPORT, "fr", "bug bugs beug bugue buguee plante plantee plantage crash erreur ecran charge lance ouvre fonctionne marche "
          "impossible connecter rame deconnecte",
          r"\b(?:bugs?|beugs?|buguee?s?|plantee?s?|plantage|crash|(?:message d['\s]?)?erreur|ecran (?:blanc|noir|fige)|"
          r"ne (?:se )?(?:charge|lance|s['\s]?ouvre|fonctionne|marche) (?:pas|plus)|impossible de (?:me |se )?(?:connecter|"
          r"payer|valider|ouvrir|acceder|commander)|rame|deconnecte)\b"),
    _rule(In.BUG_REPORT, "en", "bug bugs buggy error glitch broken down working load loading log login sign checkout blank",
          r"\b(?:bugs?|buggy|error(?: message| code)?|glitch(?:y|es)?|"
          r"(?:app|site|website|page|button|checkout|login) (?:is )?(?:broken|down|not working|doesn'?t work|won'?t load|"
          r"keeps crashing)|can'?t (?:log ?in|sign in|load|check ?out|pay|open)|(?:doesn'?t|won'?t) (?:load|open)|"
          r"not loading|blank screen)\b"),
    # Crashing and freezing are bugs when something that runs software is named, not the weather or a nap.
    _rule(In.BUG_REPORT, "en", "crash crashes crashed crashing freezes freezing frozen",
          r"\b(?:crash(?:es|ed|ing)?|freez(?:es|ing)|frozen)\b",
          also="app apps game games screen phone computer laptop pc mac console site website page tv xbox ps4 "
          "playstation iphone ipad android ios windows system software browser router update program server device "
          "tablet printer camera driver"),
    # --- feature request
    _rule(In.FEATURE_REQUEST, "fr", "serait faudrait pourriez pouvez aimerais ajoutez proposez option fonctionnalite "
          "suggestion possibilite", r"\b(?:(?:ce|ca|il) serait (?:bien|top|genial|pratique|utile|cool|sympa) (?:de|d|que|"
          r"qu)|il faudrait (?:ajouter|pouvoir|proposer|un|une|des)|(?:pourriez|pouvez)[- ]vous (?:ajouter|proposer|"
          r"mettre en place|permettre|integrer)|j['\s]?aimerais (?:pouvoir|qu['\s]?il y ait|que vous)|(?:ajoutez|proposez) "
          r"(?:un|une|des|la possibilite)|(?:option|fonctionnalite) (?:pour|permettant)|suggestion)\b"),
    _rule(In.FEATURE_REQUEST, "en", "would please could can feature wish should love add suggestion",
          r"\b(?:(?:it|that) would be (?:nice|great|cool|good|helpful|awesome) (?:if|to)|please add|(?:could|can) you "
          r"(?:add|make|introduce|allow|offer|support)|feature request|wish (?:you|there was|there were|it had|the app)|"
          r"you should (?:add|offer|have|introduce)|would love (?:to see|a|an|if)|add an? option|suggestion)\b",
          also="would add you feature wish suggestion",
          needs=("would be ", "please add", "you add", "you make", "you introduce", "you allow", "you offer",
                 "you support", "feature request", "wish ", "you should ", "would love ", "add a", "suggestion")),
    # --- demand for a manager or an official answer
    _rule(In.MANAGER_DEMAND, "fr", "parler adresser affaire relation discuter responsable manager superieur directeur "
          "directrice direction pdg patron dirigeant chef officielle officiel passez",
          r"\b(?:(?:parler|m['\s]?adresser|avoir affaire|etre mise? en relation|discuter)\s+(?:a|au|aux|avec)\s+(?:un |une |le |la "
          r"|l['\s]?|votre |vos |quelqu['\s]?un de )?(?:responsable|manager|superieur|directeur|directrice|direction|pdg|patron|"
          r"dirigeant|chef|humain|vrai conseiller)|(?:je veux|j['\s]?exige|je demande|je souhaite|j['\s]?attends|passez[- ]moi)\s+"
          r"(?:un |une |le |la |votre |l['\s]?)?(?:responsable|directeur|manager|superieur|chef|reponse officielle|"
          r"reponse de la direction)|(?:reponse|position|communique|declaration|prise de position) officiel(?:le)?|"
          r"(?:ou est|que fait|que dit) (?:le |la |votre )(?:pdg|direction|patron))\b", negatable=True),
    _rule(In.MANAGER_DEMAND, "en", "speak talk manager supervisor charge ceo director boss human person senior official "
          "escalate want demand need",
          r"\b(?:(?:speak|talk)\s+(?:to|with)\s+(?:a |the |your |someone )?(?:manager|supervisor|someone in charge|ceo|"
          r"director|boss|head of|human|real person|someone senior)|(?:i want|i demand|i need|get me|let me speak to)\s+"
          r"(?:a |the |your )?(?:manager|supervisor|ceo|official (?:answer|response))|official (?:statement|response|answer|"
          r"reply|position)|escalate (?:this|my)|your ceo)\b", negatable=True,
          also="speak talk manager supervisor ceo official escalate"),
    # --- legal threat
    _rule(In.LEGAL_THREAT, "fr", "avocat avocats plainte demeure tribunal justice poursuivre poursuites juridique ufc choisir "
          "dgccrf millions conciliateur mediateur huissier groupe prudhommes cnil signaler",
          r"\b(?:avocats?|(?:porter|deposer|depose|porte) (?:une )?plainte|plainte (?:contre|aupres)|mise en demeure|"
          r"tribunal|en justice|poursuivre|poursuites|(?:service|action) juridique|ufc|que choisir|dgccrf|60 millions|"
          r"conciliateur|mediateur|huissier|action de groupe|prud['\s]?hom\w*|cnil|signaler (?:a|aux) (?:la |les )?"
          r"(?:dgccrf|autorites|police|gendarmerie|cnil))\b", negatable=True),
    _rule(In.LEGAL_THREAT, "en", "lawyer lawyers attorney sue suing lawsuit legal court claims class report ombudsman "
          "consumer solicitor",
          r"\b(?:lawyers?|attorneys?|(?:will|going to|gonna|i'll|ill) sue|suing|sue (?:you|them|your)|lawsuit|legal action|"
          r"(?:take|taking) (?:you|this|them) to court|small claims|class action|report (?:you|this|them) to (?:the )?"
          r"(?:bbb|ftc|trading standards|authorities|police|ombudsman)|ombudsman|consumer protection|solicitor)\b",
          negatable=True),
    # --- churn threat
    _rule(In.CHURN_THREAT, "fr", "resilier desabonner desinscrire annuler fermer supprimer partir ailleurs changer jamais "
          "derniere commanderai acheterai reviendrai passe perdu concurrence desinstalle desinstaller",
          r"\b(?:(?:je vais|je compte|je veux|on va|je vais aller) (?:resilier|me desabonner|me desinscrire|annuler mon "
          r"abonnement|fermer mon compte|supprimer mon compte|partir|aller voir ailleurs|changer de)|plus jamais (?:je|j|on|"
          r"chez)|derniere fois que (?:je|j|on)|je (?:ne )?(?:commanderai|acheterai|reviendrai) (?:plus|jamais)|je passe "
          r"(?:chez|a la concurrence)|(?:vous avez|vous venez de) perdu (?:un|une) client|desinstalle\w* (?:l['\s]?appli|"
          r"l['\s]?application|votre appli))\b", negatable=True),
    _rule(In.CHURN_THREAT, "en", "cancel cancelling canceling close closing delete never again switch switching elsewhere "
          "lost last uninstall uninstalling uninstalled",
          r"\b(?:cancel(?:l?ing)? my (?:subscription|membership|account)|clos(?:e|ing) my account|delete my account|"
          r"(?:never|won'?t|will not) (?:order|buy|shop|use|fly) (?:from|with|here|you|again|this)|never again|"
          r"switch(?:ing)? to|taking my business elsewhere|lost a (?:\w+ )?customer|last time i (?:order|buy|shop|use)|"
          r"uninstall(?:ing|ed)? (?:the|your|this) app|go(?:ing)? (?:elsewhere|to (?:amazon|your competitor)))\b",
          negatable=True, also="cancel cancelling canceling close closing delete order buy shop use fly again switch "
          "switching elsewhere customer uninstall uninstalling uninstalled amazon competitor"),
    # --- purchase intent
    _rule(In.PURCHASE_INTENT, "fr", "acheter commander prendre offrir craquer trouver disponible dispo stock combien coute "
          "livrez", r"\b(?:(?:je veux|je voudrais|j['\s]?aimerais|je compte|je vais|je pense|on va) (?:l['\s]?|les |le |la )?"
          r"(?:acheter|commander|prendre|m['\s]?offrir|craquer)|(?:ou|comment) (?:acheter|commander|trouver)|(?:disponible|"
          r"dispo|en stock)|combien (?:coute|coutent|ca coute)|(?:vous livrez|livrez[- ]vous) (?:a|en|au|aux))\b",
          negatable=True),
    _rule(In.PURCHASE_INTENT, "en", "buy order purchase get where much stock available ship deliver money cart price",
          r"\b(?:(?:want|going|planning|plan|thinking about|about|ready) to (?:buy|order|purchase)|where (?:can|do) i "
          r"(?:buy|order|get|find)|how much (?:is|are|does|for)|in stock|(?:is|are) (?:it|this|they|these) available|"
          r"do you (?:ship|deliver) to|take my money|add(?:ed)? to (?:my )?cart|can i (?:buy|order))\b", negatable=True,
          also="buy order purchase where much stock available ship deliver money cart",
          needs=("to buy", "to order", "to purchase", "where can i ", "where do i ", "how much ", "in stock", " available",
                 "do you ship to", "do you deliver to", "take my money", "to cart", "to my cart", "can i buy",
                 "can i order")),
)  # fmt: skip

# Single words that are enough for a complaint: a set test, no regular expression.
COMPLAINT_WORDS = {
    "en": frozenset(
        "pitiful shocking stinks rude unhelpful worse upset annoyed annoying sucks suck ridiculous incompetent "
        "unprofessional lousy fail epicfail mistreated unreliable smashed dirty filthy scammed misleading issue issues "
        "prob fix refund refunds overcharged overcharging problem problems smh invalid disappeared expired unimpressed "
        "regret regreting regretting ripped torn cracked faulty leaking stale moldy mouldy rotten dented undercooked "
        "rubbish shambles shambolic pathetic appalled disgusted hostage inaccurate nonexistent complaint complained "
        "overpriced impolite unorganized disorganized disorganised subpar refused refuses refusing hassle hassling "
        "throttled throttling scratchy discriminates discriminated discriminating".split()
    ),
    "fr": frozenset(
        "impoli impolis malpoli malpolis desagreable desagreables incompetent incompetents incompetence panne pannes "
        "defectueux defectueuse rembourser remboursement reclamation litige probleme problemes souci soucis "
        "escroc escrocs voleurs dechire dechiree moisi moisie perime perimee pitoyable plainte remboursez "
        "harcelement invalide discrimine discriminee discrimines discriminees".split()
    ),
}
COMPLAINT_WORDS["any"] = COMPLAINT_WORDS["en"] | COMPLAINT_WORDS["fr"]

RULES_BY_LANG: dict[str, tuple[tuple[int, Rule], ...]] = {
    "fr": tuple((i, r) for i, r in enumerate(RULES) if r.lang in ("fr", "any")),
    "en": tuple((i, r) for i, r in enumerate(RULES) if r.lang in ("en", "any")),
    "any": tuple(enumerate(RULES)),
}
# For each language, its rules' trigger words and, by word, the positions of the rules it triggers.
TRIGGER_INDEX: dict[str, dict[str, frozenset[int]]] = {
    lang: {
        word: frozenset(i for i, r in rules if word in r.triggers)
        for word in frozenset().union(*(r.triggers for _, r in rules))
    }
    for lang, rules in RULES_BY_LANG.items()
}
# Trigger words, plus the single words that are complaints by themselves (found by the same set test).
TRIGGERS: dict[str, frozenset[str]] = {
    lang: frozenset(index) | COMPLAINT_WORDS[lang] for lang, index in TRIGGER_INDEX.items()
}
# A message that starts with one of these asks something even without a question mark.
QUESTION_STARTS = frozenset(
    "comment pourquoi quand combien quel quelle quels quelles pouvez pourriez puis avez savez est "
    "how why when where what which who can could do does did is are will would should any".split()
)
INTENT_VALUES = tuple(i.value for i in Intent)
# A clearly negative message addressed to someone (an @mention, "you", "vous") is a complaint, even when it asks
# something ("why is my order late?"); a negative remark about the world is not. On the development part of the
# complaints set, -0.25 balances precision and recall.
STRONG_NEGATIVE = -0.25
ADDRESSED = frozenset("you your yours u ur vous votre vos tu ton ta tes toi".split())
# A complaint is the author's own disappointment: the message says "I", "my", "we"..., asks something, or is written
# to a customer-care account. A hostile remark about someone else ("@him is an idiot") is not one.
FIRST_PERSON = frozenset("i me my mine myself we us our ours je j moi mon ma mes nous notre nos".split())
CARE_ACCOUNT = re.compile(r"@\w*(?:help|support|care|service|assist)|@ask", re.IGNORECASE)
# ... or names what was bought: the service, the staff, the product, the trip.
CUSTOMER_WORDS = frozenset(
    "service customer customers staff employee employees company app website site product products order delivery "
    "train trains flight flights store stores shop kiosk kiosks wifi broadband internet network signal ui update "
    "quality price prices car station toilet toilets seat seats "
    "client clients personnel entreprise appli produit produits commande livraison magasin boutique vol vols reseau "
    "qualite prix gare".split()
)
STRONG_POSITIVE = 0.6
# "No problem" is politeness, not a problem.
PROBLEM_WORDS = frozenset("problem problems prob issue issues probleme problemes souci soucis".split())
NO_PROBLEM = re.compile(
    r"\b(?:(?:no |without any |not having (?:the same |any )?)(?:problems?|issues?|prob)|(?:pas|aucun|sans) (?:de |d['\s]?)?"
    r"(?:problemes?|soucis?))\b"
)
NO_PROBLEM_WORDS = frozenset("no without not pas aucun sans".split())  # one is needed for NO_PROBLEM to match
# A problem the message says is settled, in a happy message, is thanks rather than a complaint.
SETTLED_WORDS = frozenset(  # one is needed for SETTLED to match
    "resolved solved sorted fixed resolving solving fixing sorting resolution fix making resolu resolue resolus resolues "
    "regle reglee regles reglees repare reparee repares reparees reactivite".split()
)
SETTLED = re.compile(
    r"\b(?:(?:resolved|solved|sorted|fixed) (?:my|the|it|this|our|all)|(?:was|were|been|is|are|got|now|all) (?:now )?"
    r"(?:resolved|solved|sorted|fixed)|for (?:resolving|solving|fixing|sorting|the (?:speedy |quick |fast )?"
    r"(?:resolution|fix))|making good on|(?:resolu|regle|repare)e?s? (?:rapidement|tres vite|en \w+ (?:minutes|heures))|pour (?:la|votre) "
    r"(?:resolution|reactivite))\b"
)


def _word_before(folded: str, start: int) -> str:
    words = folded[max(0, start - 12) : start].split()
    return words[-1] if words else ""


def _negated(folded: str, start: int) -> bool:
    window = folded[max(0, start - 30) : start]
    return NEGATION_BEFORE.search(window) is not None


def rule_intents(doc: Document) -> IntentsResult:
    """Intents found by rules alone; sentiment (when known) decides praise and strong complaints."""
    folded = doc.folded
    tokens = doc.token_set
    evidence: dict[str, list[str]] = {}
    code = doc.lang
    lang = code if code in RULES_BY_LANG else "any"
    hits = tokens & TRIGGERS[lang]
    if hits:
        index = TRIGGER_INDEX[lang]
        candidates = frozenset().union(*[index[t] for t in hits if t in index])
        for position in sorted(candidates):
            rule = RULES[position]
            if rule.key in evidence or (rule.also and rule.also.isdisjoint(tokens)):
                continue
            if rule.needs and not any(map(folded.__contains__, rule.needs)):
                continue
            for match in rule.pattern.finditer(folded):
                if rule.negatable and _negated(folded, match.start()):
                    continue
                if rule.not_after and _word_before(folded, match.start()) in rule.not_after:
                    continue
                evidence[rule.key] = [match.group(0).strip()]
                break
        if "complaint" not in evidence:
            words = hits & COMPLAINT_WORDS[lang]
            if words and not (
                words <= PROBLEM_WORDS
                and not NO_PROBLEM_WORDS.isdisjoint(tokens)
                and NO_PROBLEM.search(folded)
            ):
                evidence["complaint"] = [min(words)]
    if "bug_report" in evidence and "complaint" not in evidence:  # something broken is a complaint too
        evidence["complaint"] = [f"bug report ({evidence['bug_report'][0]})"]
    sentiment = doc.sentiment
    if (
        "complaint" in evidence
        and sentiment is not None
        and sentiment.label == "positive"
        and not SETTLED_WORDS.isdisjoint(tokens)
    ):
        settled = SETTLED.search(folded)
        if settled is not None and not _negated(folded, settled.start()):
            del evidence["complaint"]
    if "?" in doc.text:
        evidence["question"] = ["?"]
    elif doc.tokens and doc.tokens[0] in QUESTION_STARTS:
        evidence["question"] = [doc.tokens[0]]
    if sentiment is not None:
        if sentiment.label == "negative" and "praise" in evidence:
            del evidence["praise"]
        if sentiment.score >= STRONG_POSITIVE and "complaint" not in evidence and "praise" not in evidence:
            evidence["praise"] = [f"sentiment {sentiment.score:+.2f}"]
        if (
            sentiment.score <= STRONG_NEGATIVE
            and "complaint" not in evidence
            and ("@" in doc.text or not ADDRESSED.isdisjoint(tokens))
            and (
                "question" in evidence
                or not FIRST_PERSON.isdisjoint(tokens)
                or not CUSTOMER_WORDS.isdisjoint(tokens)
                or CARE_ACCOUNT.search(doc.text) is not None
            )
        ):
            evidence["complaint"] = [f"sentiment {sentiment.score:+.2f}"]
    ordered: list[str] = [i for i in INTENT_VALUES if i in evidence]
    return IntentsResult(labels=ordered, evidence={k: evidence[k] for k in ordered})
