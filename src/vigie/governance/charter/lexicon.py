"""Bilingual (fr/en) patterns of the charter check. Plain regex sources, compiled once by the checker.

Each pattern is written to match the evidence a reviewer would point at. Triggers are
case-insensitive; apostrophes are normalised to ``'`` before matching.
"""

from __future__ import annotations

# --- negation -------------------------------------------------------------------------------------
# Looked for in the same clause, before the trigger.
NEGATION_BEFORE = (
    r"\b(?:ne|n'|pas|aucune?|jamais|impossible|plus de|sans|ni|"
    r"not|no|never|cannot|can't|cant|won't|wont|unable|unfortunately not|neither|nor|"
    r"don't|doesn't|didn't|isn't|aren't|wasn't|weren't|couldn't|wouldn't|shouldn't|haven't|hasn't)(?![\w'])"
    r"|n't\b|\bn'"
)
# Looked for right after the trigger ("un remboursement n'est pas possible").
NEGATION_AFTER = (
    r"^[^,;.!?]{0,30}?(?:n'est pas|n'est plus|ne sera pas|ne sera plus|ne peut pas|ne pourra pas|est impossible"
    r"|n'est malheureusement pas|is not|isn't|is no longer|will not be|won't be|cannot be|can't be"
    r"|is unfortunately not|not possible|impossible)\b"
)

# --- commitments ----------------------------------------------------------------------------------
APOLOGY = (
    # French
    r"\b(?:nos|mes|toutes nos|sinc[èe]res|plates|mille|encore toutes nos) excuses\b|\b(?:a thousand|many|sincere|humble|deepest|profound) apologies\b"
    r"|\b(?:nous|je) (?:vous |tenons à vous |souhaitons vous |voulons vous )?(?:pr[ée]sent\w*|adress\w*|fais|faisons|renouvel\w*) (?:toutes )?(?:nos|mes|de plates|nos plus sinc[èe]res) excuses\b"
    r"|\b(?:nous nous|je m'|on s') excus\w*"
    r"|\b(?:vous )?(?:prie|prions)(?: de bien vouloir| de)? (?:nous |m')excuser\b"
    r"|\bveuillez (?:nous |m')?excuser\b|\bexcusez[- ](?:nous|moi)\b"
    r"|\bpardon (?:pour|de|d')"
    r"|\b(?:d[ée]sol[ée]e?s?|navr[ée]e?s?) (?:pour|de|d'|du|des)(?!\s*(?:apprendre|lire|voir|entendre|constater|savoir|l'apprendre|le lire|le voir|le savoir|lire (?:cela|ça|ceci)))"
    r"|\b(?:nous |je )?(?:sommes |suis )?(?:vraiment |sinc[èe]rement |tellement |profond[ée]ment )?(?:d[ée]sol[ée]e?s?|navr[ée]e?s?)\s*(?:[.!]|$)"
    r"|\b(?:nous sommes|je suis|on est) (?:vraiment |sinc[èe]rement |tellement |profond[ée]ment |tr[èe]s )?(?:d[ée]sol[ée]e?s?|navr[ée]e?s?)\b(?!\s*(?:d'apprendre|de lire|de voir|d'entendre|de constater|de savoir|que vous|si vous|pour vous|de l'apprendre))"
    r"|\b(?:nous regrettons|je regrette) (?:ce|cette|cet|ces|l'|le|la|les|vivement|sinc[èe]rement|profond[ée]ment)\b"
    r"|\bmea culpa\b"
    # English
    r"|\b(?:we|i) (?:sincerely |truly |deeply |do |would like to |want to |must )?apologi[sz]e\b"
    r"|\b(?:our|my|please accept our|please accept my|sincere) (?:sincere |deepest |humble )?apologies\b"
    r"|\bapologies for\b|\bowe you an apology\b|\b(?:we|i) (?:deeply |sincerely |truly )?regret (?:the|any|this|that|our|these)\b"
    r"|\b(?:we're|we are|i'm|i am) (?:so |very |really |truly |deeply |terribly )?sorry(?! to (?:hear|read|see|learn)| (?:that )?you(?:'re| are| feel| felt| were))"
    r"|\bsorry (?:for|about) (?:the|this|that|our|my|any|all)\b"
    r"|^\s*sorry\b(?! to (?:hear|read|see|learn))"
)
APOLOGY_EXCLUDE = (
    r"(?:pas besoin de vous excuser|inutile de vous excuser|no need to apologi[sz]e|don't apologi[sz]e"
    r"|you don't need to apologi[sz]e)"
)

REFUND = (
    r"\brembours\w*"
    r"|\brefund\w*"
    r"|\breimburs\w*|\bre-?cr[ée]dit\w*"
    r"|\bmoney back\b|\bargent (?:vous sera )?(?:rendu|restitu[ée])"
)
REFUND_NOT_COMMITMENT = (
    r"(?:demande|demandes|politique|conditions|formulaire|statut|suivi|d[ée]lai|proc[ée]dure) de rembours"
    r"|demander (?:un|le|votre) rembours|solliciter (?:un|le) rembours"
    r"|refund (?:request|policy|form|process|procedure|status|terms)"
    r"|request (?:a|the|your) refund|ask(?:ed)? for (?:a|the) refund|apply for a refund|(?:you|vous) (?:can|may|pouvez) (?:request|ask|demander)"
)

COMPENSATION = (
    r"\bbons? d'achat\b|\bcartes? cadeaux?\b|\bch[èe]ques? cadeaux?\b|\bvouchers?\b|\bgift ?cards?\b|\be-?gift\b"
    r"|\b(?:un|d'un|l'|votre|cet|en) avoir\b|\bavoir de\b|\bstore credit\b|\baccount credit\b|\bcredit (?:your account|of)\b"
    r"|\bcr[ée]dit (?:de|sur votre compte)\b|\bcr[ée]diter (?:votre compte|\d)"
    r"|\bgestes? commercia(?:l|ux)\b|\bgoodwill (?:gesture|credit)\b|\bgesture of goodwill\b"
    r"|\b(?:petit |un )cadeau\b|\bgift\b|\bcompensation\b|\bdédommag\w*|\bindemni\w*|\bcompensate\w*|\bcompenser\b"
    r"|\b[ée]chang\w* (?:l'|le |la |les |votre |vos )|\b(?:swap|exchange)\w* (?:it|the|your|them)\b|\bremplacement\b|\brempla[cç]\w*(?= (?:l'|le |la |les |votre |vos |gratuitement|sans frais))|\brempla[cç]\w*\b(?=[^.!?]{0,20}(?:défectueu|abîm|cass))"
    r"|\boffr\w* (?:la livraison|les frais de (?:port|livraison)|le retour)\b|\breplacement\b|\breplace (?:it|the|your)\b"
    r"|\b(?:prenons|prendrons|prenions|allons prendre) en charge\b|\bpris en charge par nos soins\b|\bà nos frais\b"
    r"|\bcover (?:the |your |all )?(?:return |shipping |delivery |repair )?(?:shipping|postage|costs?|fees?|return)\b|\bat our (?:own )?(?:cost|expense)\b"
    r"|\b(?:nouvel (?:exemplaire|article)|nouveau (?:produit|colis|mod[èe]le)|nouvelle (?:pi[èe]ce|commande offerte))\b"
    r"|\b(?:renvoy\w*|r[ée]exp[ée]di\w*|envoy\w*|send\w*|ship\w*|resend\w*)\b[^.!?,]{0,30}\b(?:manquante?s?|neu(?:f|ve)s?|missing|replacement|new one)\b"
    r"|\b(?:send|ship) (?:you )?(?:a |an )?(?:new|another|fresh)(?: one)?\b|\bsend (?:a |another )?(?:new one|replacement) out\b|\b(?:renvoyer|renvoyons|renverrons|r[ée]exp[ée]dier|r[ée]exp[ée]dions|r[ée]exp[ée]dierons) (?:un|une|gratuitement|d[èe]s)"
    r"|\b(?:frais de (?:port|livraison) |livraison )(?:offert|gratuit)\w*|\bfree (?:shipping|delivery|of charge)\b|\boffert(?:e|s|es)?\b|\bon the house\b"
)
DISCOUNT = (
    r"\br[ée]ductions?\b|\bremises?\b(?! (?:en|à) )|\bcodes? promo\w*\b|\bcodes? de r[ée]duction\b|\brabais\b"
    r"|\bdiscount\w*|\bpromo(?:tional)? codes?\b|\bcoupons?\b|\b\d+ ?% off\b|\b% off\b|\boff your next\b"
    r"|(?<![\w\d])-\s?\d+ ?%|\b\d+(?:[.,]\d+)? ?% (?:sur|on|de remise|de réduction|off)\b"
)

# Cues that a sentence speaks of the future, so that "demain" / "tomorrow" are promises.
FUTURE_CUE = (
    r"\b(?:\w+(?:erai|erons|erez|eront|era|irai|irons|irez|ira|rai|rons|rez|ront)|allons|allez|va|vais|vont|sera|serez"
    r"|seront|aurez|aura|recevrez|recevra|devrait|devriez|pr[ée]vue?s?|programm[ée]e?s?"
    r"|will|'ll|shall|going to|should|expect(?:ed)?|scheduled|due to)\b"
    r"|\b(?:we're|we are|i'm) \w+ing\b|\bnous (?:vous |le |la |les |lui )?(?!avons\b|sommes\b)\w+ons\b"
)
# The customer's rights or obligations ("vous pouvez l'échanger sous 30 jours"), not our promise.
CUSTOMER_SIDE = (
    r"\b(?:vous (?:pouvez|pourrez|avez|disposez|devez|devrez)|you (?:can|may|have|must|need to|will need to|could)"
    r"|must be|doivent être|doit être|à faire|to be made)\b"
)
# A discount is a commitment when offered or applied, or when an amount is stated.
DISCOUNT_OFFER = (
    r"\b(?:offr\w*|propos\w*|appliqu\w*|accord\w*|b[ée]n[ée]fici\w*|profit\w*|utilis\w*|ajout\w*"
    r"|offer\w*|give|giving|apply|applied|applying|use|get|enjoy|take|here's|here is|sending)\b"
)

# --- legal ----------------------------------------------------------------------------------------
LIABILITY = (
    r"\bc'est (?:enti[èe]rement |totalement |bien |vraiment )?(?:de )?notre faute\b|\bpar notre faute\b|\bnotre faute\b"
    r"|\b(?:nous sommes|nous avons été) (?:enti[èe]rement |totalement |seuls )?(?:responsables|n[ée]gligents)\b"
    r"|\bn[ée]gligence de notre part\b|\bnotre n[ée]gligence\b|\bl'erreur vient de (?:chez )?nous\b|\bnous avons (?:commis une|fait une) (?:erreur|faute)\b"
    r"|\bnotre (?:erreur|faute) (?:a |est à l'origine|a caus[ée]|a provoqu[ée]|a entraîn[ée])"
    r"|\b(?:it's|it is|it was|this is|that's|this was) (?:entirely |totally |all |completely )?our (?:fault|mistake)\b"
    r"|\bour fault\b|\bwe (?:were|have been) (?:negligent|careless|at fault)\b|\bour negligence\b"
    r"|\bwe are (?:fully |entirely )?(?:responsible|liable|at fault) for\b|\bwe (?:messed|screwed) up\b"
    r"|\bour (?:mistake|error|fault) (?:caused|led to|resulted|damaged|broke)\b"
    r"|\breconnaiss\w* (?:notre|nos) (?:erreur|faute|torts?|responsabilit[ée])s?\b|\bassum\w* (?:l'enti[èe]re |toute la |pleinement la |notre )?responsabilit[ée]\b"
    r"|\b(?:take|accept|bear) (?:full |complete |all )?responsibility\b|\b(?:that's|that is|this is|it's|it is) (?:all )?on us\b|\bwe dropped the ball\b"
    r"|\b(?:notre|nos) \w+ (?:s'est|se sont) tromp[ée]\w*|\b(?:notre|nos) \w+ (?:a|ont) (?:fait|commis) une (?:erreur|faute)"
    r"|\b(?:our|we) (?:\w+ )?(?:made a mistake|made an error)\b|\b(?:we|our \w+) (?:picked|sent|shipped|packed|delivered) (?:you )?the wrong\b"
    r"|\bnous (?:vous )?avons (?:envoy|exp[ée]di|livr)[ée] (?:le mauvais|la mauvaise|un mauvais|une mauvaise)\b"
    r"|\bresponsabilit[ée] nous (?:incombe|revient)\b|\bresponsibility is (?:entirely |all |fully )?ours\b|\bthe fault is (?:entirely |all )?ours\b"
    r"|\bwe (?:damaged|broke|lost) your\b|\bnous avons (?:perdu|cass[ée]|endommag[ée]|ab[îi]m[ée]) votre\b"
)
# A partner named in a sentence that puts the blame on it.
PARTNER_BLAME = (
    r"(?:la |c'est la )?faute (?:à|de|du|des) {p}|à cause (?:de|du) {p}|{p} (?:a|ont) (?:perdu|cass[ée]|ab[îi]m[ée]|endommag[ée]|égar[ée]|mal \w+)"
    r"|{p} (?:est|sont) (?:responsables?|en tort|en cause|fautifs?)|{p} (?:s'est|se sont) tromp[ée]"
    r"|(?:blame|because of|thanks to) {p}|{p} (?:lost|damaged|broke|messed up|screwed up|mishandled|dropped)"
    r"|{p} (?:is|are|was|were) (?:to blame|responsible|at fault)|{p}'s (?:fault|mistake|error)"
)
KNOWN_PARTNERS = (
    "Chronopost", "Colissimo", "La Poste", "DHL", "UPS", "FedEx", "GLS", "DPD", "TNT", "Mondial Relay",
    "Relais Colis", "Royal Mail", "USPS", "Evri", "Hermes", "Geodis", "Kuehne", "PayPal", "Stripe",
)  # fmt: skip

HEALTH_SAFETY = (
    r"\b(?:totally|completely|perfectly|absolutely|100 ?%|entirely) safe\b|\bsafe for (?:children|kids|babies|pets|food|your health|everyone)\b"
    r"|\bno (?:health |safety )?risks?\b|\bzero health risk\b|\bnon[- ]?toxi[cq]\w*\b|\bhealth risks?\b|\bharmless\b"
    r"|\bsans (?:aucun )?(?:danger|risque)(?: pour (?:la santé|les enfants|vous|votre santé|les bébés))?\b"
    r"|\baucun (?:risque|danger)(?: pour la santé)?\b|\bsans effets? (?:secondaires?|sur la santé)\b|\binoffensi(?:f|ve)s?\b"
    r"|\bcompl[èe]tement s[ûu]re?s?\b|\btotalement s[ûu]re?s?\b|\bparfaitement s[ûu]re?s?\b"
    r"|\brappel (?:de|du|des) (?:produits?|lots?)\b|\bproduct recall\b|\brecall(?:ed|ing)?\b|\brappel[ée]s?\b(?= (?:par|du marché))"
    r"|\bblessures?\b|\bbless[ée]e?s?\b|\binjur(?:y|ies|ed)\b|\bburns?\b|\bbr[ûu]lures?\b|\bintoxication\b|\bpoisoning\b|\bchoking\b|\b[ée]touffement\b"
    r"|\bfood[- ]safe\b|\bcontact alimentaire\b|\bsans (?:BPA|PFAS|phtalates?)\b|\b(?:BPA|PFAS)[- ]free\b|\bhypoallerg\w*"
)

ABSOLUTE = (
    r"\b(?:le|la|les) (?:plus|moins) \w+ (?:au monde|du monde|du march[ée]|de france)\b|\bthe (?:most|least) \w+ (?:in the world|on the market)\b"
    r"|\b(?:le|la|les) (?:meilleure?s?|moins chers?|plus (?:fiables?|sûrs?|rapides?) (?:du marché|de france|au monde))\b(?! (?:de nous|façon|moyen|solution|option|chose à faire))"
    r"|\bmeilleure?s? (?:du marché|de france|au monde|prix garanti)\b"
    r"|\b(?:the )?(?:best|cheapest|safest|fastest) (?:in (?:the )?(?:world|market|france|town|uk|industry)|on the market|products?|prices?|quality|service)\b"
    r"|\bthe best\b(?! (?:way|option|thing|solution|person|place|time|number|address|contact|choice|days?|part|we can|regards|wishes|of luck|course|approach|next step))"
    r"|\bgaranti(?:e|s|es)? à vie\b|\bgaranti(?:e|s|es)? (?:à )?100 ?%|\b100 ?% (?:garanti\w*|guaranteed|fiable|reliable|satisfaits?|satisfied)"
    r"|\blifetime (?:guarantee|warranty)\b|\bguaranteed (?:forever|for life)\b|\bfully guaranteed\b"
    r"|\bz[ée]ro (?:risque|risk|d[ée]faut|defect|panne)\b|\bsans (?:aucun )?d[ée]faut\b"
    r"|\b(?:ne|n') ?(?:se |s')?(?:tombe|tombent|casse|cassent|rouille|rouillent|fuit|fuient|d[ée]çoit|d[ée]çoivent|d[ée]cevra"
    r"|plante|plantent|bugu?e|buguent|[ée]choue|[ée]chouent|ab[îi]me|ab[îi]ment|use|usent|attache|attachent|rate|ratent"
    r"|arrive|arrivent|sommes|est|sont|serez|sera|avons|a|ont) (?:absolument |strictement )?jamais\b(?:[^.!?,]{0,25}(?:panne|retard|en retard|d[ée]çu\w*|probl[èe]me))?"
    r"|\bjamais (?:de |d')(?:retard|panne|probl[èe]me|d[ée]faut|souci)"
    r"|\bnever (?:fails?|breaks?|late|disappoints?|goes? wrong|has (?:any )?(?:problems?|issues?|delays?))\b"
    r"|\b(?:always|toujours) (?:on time|à l'heure|parfait\w*|perfect|impeccable|disponibles?|available|reliable|fiables?)\b"
    r"|\b(?:aucun (?:concurrent|autre \w+)|personne|nul) ne (?:fait|propose) mieux\b|\brien de mieux\b|\bsans [ée]gal\b"
    r"|\bno (?:other (?:\w+ )?|one )?(?:beats|does (?:it )?better|comes close)\b|\bnobody (?:beats|does (?:it )?better)\b"
    r"|\bthe \w+est (?:on the market|in the world|in town|around|money can buy)\b"
    r"|\b(?:imbattables?|unbeatable|in[ée]gal[ée]e?s?|unmatched|unrivall?ed|incomparables?)\b"
    r"|\bn°\s?1\b|\bnum[ée]ro (?:un|1)\b|\bnumber (?:one|1)\b|\b#1\b|\bleader (?:du march[ée]|mondial|in)\b"
)
ABSOLUTE_EXCLUDE = (
    r"(?:meilleures? salutations|meilleurs? (?:vœux|voeux|sentiments)|best regards|all the best|best wishes|(?:do|doing|try|trying) (?:our|my) best"
    r"|faire (?:de )?(?:notre|mon) mieux|(?:hésitez|hésite) jamais|n'hésitez)"
)

KNOWN_COMPETITORS = (
    "Amazon", "Cdiscount", "Fnac", "Darty", "Boulanger", "Ikea", "Leroy Merlin", "Conforama", "Temu", "Shein",
    "AliExpress", "Walmart", "eBay", "Zalando", "Maisons du Monde", "La Redoute", "Wish", "Rakuten", "Castorama",
    "Argos", "John Lewis", "Wayfair", "Target", "Lidl", "Aldi", "Carrefour", "Auchan",
)  # fmt: skip
COMPETITOR_NEGATIVE = (
    r"\b(?:contrairement (?:à|aux?)|pas comme|à la différence d[e']|unlike|not like|rather than|plutôt que)\b"
    r"|\b(?:arnaque\w*|escroc\w*|voleurs?|scam\w*|fraud\w*|thie(?:f|ves)|crooks?|rip[- ]?off|cheat\w*)\b"
    r"|\b(?:pire|pires|nuls?|nulle?s|mauvaise? qualité|camelote|de la merde|pourris?|médiocres?|bas de gamme"
    r"|worse|worst|rubbish|junk|garbage|crap|terrible|awful|poor quality|low quality|cheap|shoddy|useless|dodgy)\b"
    r"|\b(?:mieux que|meilleurs? que|plus (?:fiables?|sérieux|honnêtes?) que|better than|more (?:reliable|honest|serious) than)\b"
    r"|\bs'en (?:fichent|fiche|foutent|fout|moquent)\b|\b(?:don't|doesn't|do not|does not) care\b|\bne (?:vous )?r[ée]pond(?:ent)? (?:jamais|pas)\b"
    r"|\b(?:ne (?:vous )?(?:faites|faîtes) pas confiance|don't trust|never trust|méfiez-vous|beware of|avoid)\b"
)

# --- tone -----------------------------------------------------------------------------------------
INSULT = (
    r"\b(?:idiots?|imb[ée]ciles?|cr[ée]tins?|connards?|connasses?|cons|abrutis?|d[ée]biles?|bouffons?|guignols?|tocards?"
    r"|(?:vous [êe]tes|t'es|you're|you are) (?:vraiment |so |really |totally |compl[èe]tement )?(?:ridicules?|ridiculous|path[ée]tiques?|stupides?|incomp[ée]tents?|incompetent|clueless)"
    r"|(?:bande de|esp[èe]ce de|vous [êe]tes (?:des |vraiment )?|t'es) (?:nuls?|nazes?|guignols?|incapables?|bras cass[ée]s)|minables?|pauvres? (?:type|con|idiot|fille|mec)s?|ta gueule|fermez[- ]la|ferme[- ]la|d[ée]gage[zr]?|enfoir[ée]s?"
    r"|encul[ée]s?|salopes?|salauds?|putains?|merdes?|merdique|pignoufs?|cassos|gogols?|boloss?|t[ée]b[ée]s?"
    r"|morons?|stupid|dumb(?:ass)?|idiotic|imbeciles?|jerks?|assholes?|arseholes?|bitch\w*|bastards?|losers?|shut up"
    r"|allez vous faire (?:voir|foutre)|va te faire (?:voir|foutre)|go to hell|piss off|fuck\w*|f\*+k\w*|wtf|stfu|crap|bullshit|clowns?|pathetic|ridiculous people|retarded|dipshit|dickheads?|pricks?|twats?|wankers?|get lost|screw you)\b"
)
INSULT_EXCLUDE = (
    r"(?:retard(?:s)? de livraison|en retard|du retard|le retard|un retard|votre retard|ce retard|les retards|delivery delay"
    r"|retard (?:de|d'|du|sur)|de retard|\bretardé)"
)
AGGRESSIVE = (
    r"\bcomme (?:nous (?:vous )?l'avons |je (?:vous )?l'ai |on (?:vous )?l'a )?(?:d[ée]jà|pourtant) (?:dit|expliqu[ée]|indiqu[ée]|pr[ée]cis[ée]|r[ée]p[ée]t[ée]|[ée]crit)\b"
    r"|\bcomme d[ée]jà (?:dit|expliqu[ée]|indiqu[ée]|pr[ée]cis[ée]|mentionn[ée])\b"
    r"|\bas (?:we|i) (?:have )?(?:already|previously|clearly) (?:told|said|explained|stated|mentioned)(?: you)?\b|\bas already (?:said|explained|stated)\b"
    r"|\b(?:lisez|relisez|lire|relire) (?:donc |d'abord |bien |attentivement )?(?:les|nos|la|notre) (?:cgv|conditions|faq|fiche produit|message)\b"
    r"|\b(?:read|re-?read) (?:the|our) (?:terms|t&cs|t&c|faq|conditions|product page|manual)\b|\brtfm\b"
    r"|\bsi vous (?:aviez|prenez la peine de) (?:lu|lire)\b|\bif you (?:had|would have|bothered to) (?:read|look)\w*\b|\blearn to read\b|\bapprenez à lire\b"
    r"|\b(?:ce n'est|c'est) pas (?:notre|mon) probl[èe]me\b|\bnot (?:our|my) problem\b|\bd[ée]brouillez[- ]vous\b|\bdeal with it\b"
    r"|\bcalmez[- ]vous\b|\bcalm down\b|\binutile de (?:crier|vous énerver|hurler)\b|\bno need to (?:shout|yell|get angry)\b"
    r"|\b(?:arr[êe]tez|cessez) de (?:vous plaindre|râler|raler|crier|harceler|spammer|pleurnicher)\b|\bstop (?:complaining|whining|moaning|spamming|crying)\b"
    r"|\b(?:on s'en (?:fiche|fout|moque)|we don't care|who cares|peu importe)\b|\b(?:allez|go) (?:voir |shop )?(?:ailleurs|elsewhere)\b"
    r"|\bbravo pour\b|\bf[ée]licitations pour (?:votre|ce) (?:magnifique|superbe|brillant)\b|\bwell done on\b|\bgreat job\b(?=[^.!?]*(?:\.\.\.|…))"
    r"|\bmerci pour (?:ce|cette|votre) (?:magnifique|superbe|charmant|brillant|sublime|merveilleu)\w*|\bthanks for (?:this|that|your) (?:lovely|wonderful|brilliant|charming|delightful)\b"
    r"|(?:\.\.\.|…) ?(?:not|pas)\s*[.!]?\s*$|(?:\.\.\.|…) ?(?:not|pas)\b"
    r"|🙄|🤡|🤦|😒|🖕"
    r"|\b(?:pour la|for the) (?:énième|enième|dernière|troisième|third|last|hundredth|umpteenth|nth) (?:fois|time)\b"
    r"|\b(?:vous n'avez|you (?:clearly |obviously )?(?:didn't|did not|haven't|have not|don't|do not)) (?:visiblement |manifestement |clairement )?(?:pas |)(?:lu|compris|read|understood|understand|bothered|get it)\b"
    r"|\bvisiblement,? vous n'avez pas\b|\b(?:c'est|it's|it is) (?:votre|your) (?:faute|fault|problem|problème)\b"
    r"|\b(?:vous auriez dû|you should have) (?:lire|lu|read|checked|vérifier|v[ée]rifi[ée]|fait attention|paid attention)\b"
    r"|\b(?:je|nous) vous (?:l')?(?:ai|avons) d[ée]jà (?:r[ée]pondu|dit|expliqu[ée]|indiqu[ée]|pr[ée]cis[ée])\b|\bpourtant pas (?:compliqu[ée]|sorcier|difficile)\b|\bpas (?:compliqu[ée]|sorcier) pourtant\b"
    r"|\bdid you (?:even |actually )?(?:read|look|bother)\b|\bnot rocket science\b|\bit's not that (?:hard|difficult|complicated)\b|\bc'est pas sorcier\b"
    r"|\b(?:merci de |please )?(?:relire|re-?read) (?:notre|nos|our) (?:pr[ée]c[ée]dente? |previous |last )?(?:message|r[ée]ponse|reply|email|e-mail)s?\b"
    r"|\bnice try\b|\bbien essay[ée]\b|\bseriously\s*\?|\bs[ée]rieusement\s*\?|\bsans commentaire\b|\bno comment\b"
    r"|\b(?:lol|mdr|ptdr|lmao)\b|\bque voulez-vous que (?:ça|cela) (?:nous|me) fasse\b"
    r"|\bobviously you\b|\bévidemment que\b|\bc'est évident\b|\bit's obvious\b|\bwhatever\b|\btake it or leave it\b|\bc'est comme ça\b"
    r"|\bà bon entendeur\b|\bon vous (?:a|l'a) (?:déjà )?dit\b|\bwe (?:already )?told you\b"
)

# --- personal data --------------------------------------------------------------------------------
EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
PHONE = (
    r"(?<![\w+])(?:(?:\+|00)33[ .-]?(?:\(0\))?[ .-]?[1-9](?:[ .-]?\d{2}){4}"  # +33 6 12 34 56 78
    r"|0[1-9](?:[ .-]?\d{2}){4}"  # 06 12 34 56 78
    r"|(?:\+|00)(?:44|1|32|41|49|34|39)[ .-]?(?:\(0\))?[ .-]?\d{2,4}(?:[ .-]?\d{2,4}){2,4}"  # other countries
    r"|0[1-9]\d{2,3}[ .-]?\d{3}[ .-]?\d{3,4}"  # 020 7946 0958, 07700 900123
    r"|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}"  # (555) 123-4567
    r"|0 ?[89]\d{2}(?:[ .-]?\d{2}){3})(?![\w])"
)
PAYMENT = (
    r"(?<![\w])(?:\d{4}[ -]?){3}\d{1,4}(?![\w])"  # full card number
    r"|(?:(?:\*{2,4}|[xX]{4}|•{4})[ -]?){1,3}\d{4}\b"  # **** **** **** 4242
    r"|\b(?:carte|cb|visa|mastercard|amex|card|compte|account)\b[^.!?\n]{0,30}?(?:finissant|se terminant|terminant|ending|ends|that ends)(?:\s+(?:par|in|with|en))?\s+\d{2,4}\b"
    r"|\b(?:se terminant|finissant|ending in|ends in|ending) (?:par |en )?\d{4}\b"
    r"|\b(?:last (?:four|4) digits|(?:quatre|4) derniers chiffres)[^.!?\d]{0,20}\d{4}\b"
    r"|\bIBAN\b:?\s*(?:[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{2,4}){0,7}(?:\s*(?:\.\.\.|…))?)"
    r"|\b(?:cvv|cvc|cryptogramme)\b[^.!?\n]{0,12}?\b\d{3,4}\b"
)
# Case-sensitive: a bare IBAN ("FR76 3000 6000 0112 3456 7890 189").
IBAN_BARE = r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"
ADDRESS = (
    r"(?<![\w])\d{1,4}(?: ?(?:bis|ter))?,? (?i:rue|avenue|av\.|boulevard|bd|place|chemin|all[ée]e|impasse|quai|route|cours|square|passage|r[ée]sidence|lotissement|faubourg)"
    r" (?:de |du |des |de la |d'|l')?[A-ZÉÈa-zéèêàâîôûç'-]+(?: [A-ZÉÈa-zéèêàâîôûç'-]+){0,3}(?:,? \d{5}(?: [A-ZÉÈ][\wéèêàâîôûç-]+(?: [A-Z][\w-]+)?)?)?"
    r"|(?<![\w])\d{1,5} (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Close|Court|Ct|Place|Pl|Crescent|Terrace|Gardens|Square|Hill|Grove)\b\.?"
    r"(?:,? (?:[A-Z][a-z]+ ?){1,2})?(?:,? [A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|,? [A-Z]{2} \d{5})?"
    r"|\b\d{5} (?:Paris|Lyon|Marseille|Lille|Toulouse|Bordeaux|Nantes|Nice|Strasbourg|Rennes|Montpellier|Grenoble)\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"
)
