/**
 * The words of the pages a recipient reaches from a letter (unsubscribe,
 * web version, privacy), in every language the letter's own fixed strings
 * have (i18n.ts): a unit test keeps the two lists the same. Each entry is a
 * whole sentence, so that every language orders its own words; values passed
 * in (the coalition's name, a masked address, a subject, a date) are escaped
 * where the page is built.
 */
export interface PageWords {
  pageTitle: (coalition: string) => string;
  writesTo: (coalition: string, address: string) => string;
  question: string;
  stopAll: (coalition: string) => string;
  stopAllHint: string;
  stopFollowUps: string;
  stopFollowUpsHint: (subject: string) => string;
  confirm: string;
  stoppedAll: (coalition: string) => string;
  stoppedAllBody: (address: string) => string;
  stoppedFollowUps: string;
  stoppedFollowUpsBody: (address: string) => string;
  undoUntil: (date: string) => string;
  undo: string;
  undoOver: string;
  undone: string;
  undoneBody: (address: string) => string;
  blocked: (coalition: string) => string;
  blockedBody: string;
  whyHeading: string;
  gone: string;
  goneBody: string;
  notUnderstood: string;
  notUnderstoodBody: string;
  approvedOn: (date: string) => string;
  fingerprint: string;
  privacy: PrivacyWords;
}

export interface PrivacyWords {
  who: string;
  whoDefault: string;
  what: string;
  whatBody: string;
  purpose: string;
  purposeBody: string;
  howLong: string;
  howLongBody: (days: number) => string;
  rights: string;
  rightsBody: (contact?: string) => string;
}

const WORDS: Record<string, PageWords> = {
  en: {
    pageTitle: (c) => `Your letters from ${c}`,
    writesTo: (c, a) => `${c} writes to ${a}.`,
    question: 'What would you like to stop?',
    stopAll: (c) => `Every letter from ${c}`,
    stopAllHint:
      'Your address goes on the coalition’s do-not-mail list: none of its campaigns will write to it again.',
    stopFollowUps: 'Only the follow-ups of this letter',
    stopFollowUpsHint: (s) =>
      `No reminders about “${s}”; the coalition’s other letters still reach you.`,
    confirm: 'Confirm',
    stoppedAll: (c) => `You will receive no more letters from ${c}`,
    stoppedAllBody: (a) => `From now on, none of the coalition’s campaigns writes to ${a}.`,
    stoppedFollowUps: 'You will receive no follow-ups of this letter',
    stoppedFollowUpsBody: (a) => `The coalition’s other letters may still reach ${a}.`,
    undoUntil: (d) => `Changed your mind? You can undo this until ${d}.`,
    undo: 'Undo',
    undoOver:
      'The 30 days to undo this have passed. To receive letters again, write to the coalition.',
    undone: 'Your letters continue',
    undoneBody: (a) => `${a} receives the coalition’s letters again.`,
    blocked: (c) => `${c} does not write to this address`,
    blockedBody:
      'Letters to it could not be delivered or were reported as unwanted, so it is on the do-not-mail list. To receive letters again, write to the coalition.',
    whyHeading: 'Why you received this letter',
    gone: 'This link is not available',
    goneBody: 'The link you followed is not valid or no longer available.',
    notUnderstood: 'Request not understood',
    notUnderstoodBody: 'Choose what to stop, then press the button.',
    approvedOn: (d) => `Text approved on ${d}`,
    fingerprint: 'Fingerprint of the approved text (SHA-256)',
    privacy: {
      who: 'Who is responsible',
      whoDefault:
        'The coalition named at the foot of the letter you received; this service sends its letters on its behalf.',
      what: 'What is kept',
      whatBody:
        'Your name, title, organisation and email address as the coalition’s list gives them, where the address comes from, and what happened to each letter sent to you (delivered, opened, replied).',
      purpose: 'Why',
      purposeBody:
        'To send you the coalition’s statements ahead of the meetings they concern, and to know whether they reached you.',
      howLong: 'How long',
      howLongBody: (n) =>
        `Until ${n} days after the campaign ends. If you asked for no more letters, your address stays on the do-not-mail list, so that it is never written to again.`,
      rights: 'Your choices',
      rightsBody: (c) =>
        `Letters to member organisations carry a link to stop them. To object, to see what is kept about you or to have it erased, ${c ? `write to ${c} or ` : ''}reply to any letter.`,
    },
  },
  fr: {
    pageTitle: (c) => `Vos lettres de ${c}`,
    writesTo: (c, a) => `${c} écrit à ${a}.`,
    question: 'Que souhaitez-vous arrêter ?',
    stopAll: (c) => `Toutes les lettres de ${c}`,
    stopAllHint:
      'Votre adresse est inscrite sur la liste d’exclusion de la coalition : aucune de ses campagnes ne vous écrira plus.',
    stopFollowUps: 'Seulement les relances de cette lettre',
    stopFollowUpsHint: (s) =>
      `Plus de rappel au sujet de « ${s} » ; les autres lettres de la coalition vous parviennent toujours.`,
    confirm: 'Confirmer',
    stoppedAll: (c) => `Vous ne recevrez plus de lettres de ${c}`,
    stoppedAllBody: (a) => `Désormais, aucune campagne de la coalition n’écrit à ${a}.`,
    stoppedFollowUps: 'Vous ne recevrez pas de relance de cette lettre',
    stoppedFollowUpsBody: (a) =>
      `Les autres lettres de la coalition peuvent encore parvenir à ${a}.`,
    undoUntil: (d) => `Vous avez changé d’avis ? Vous pouvez annuler ce choix jusqu’au ${d}.`,
    undo: 'Annuler',
    undoOver:
      'Les 30 jours pour annuler ce choix sont passés. Pour recevoir de nouveau des lettres, écrivez à la coalition.',
    undone: 'Vos lettres continuent',
    undoneBody: (a) => `${a} reçoit de nouveau les lettres de la coalition.`,
    blocked: (c) => `${c} n’écrit pas à cette adresse`,
    blockedBody:
      'Des lettres n’ont pas pu lui être remises ou ont été signalées comme indésirables : elle est sur la liste d’exclusion. Pour recevoir de nouveau des lettres, écrivez à la coalition.',
    whyHeading: 'Pourquoi vous avez reçu cette lettre',
    gone: 'Ce lien n’est pas disponible',
    goneBody: 'Le lien que vous avez suivi n’est pas valide ou n’est plus disponible.',
    notUnderstood: 'Demande incomprise',
    notUnderstoodBody: 'Choisissez ce que vous souhaitez arrêter, puis appuyez sur le bouton.',
    approvedOn: (d) => `Texte approuvé le ${d}`,
    fingerprint: 'Empreinte du texte approuvé (SHA-256)',
    privacy: {
      who: 'Responsable du traitement',
      whoDefault:
        'La coalition nommée au bas de la lettre que vous avez reçue ; ce service envoie ses lettres pour son compte.',
      what: 'Données conservées',
      whatBody:
        'Vos nom, fonction, organisation et adresse électronique tels que la liste de la coalition les donne, la source de l’adresse, et ce qu’il est advenu de chaque lettre qui vous a été envoyée (remise, ouverte, réponse).',
      purpose: 'Finalité',
      purposeBody:
        'Vous adresser les déclarations de la coalition avant les réunions qu’elles concernent, et savoir si elles vous sont parvenues.',
      howLong: 'Durée de conservation',
      howLongBody: (n) =>
        `Jusqu’à ${n} jours après la fin de la campagne. Si vous avez demandé à ne plus recevoir de lettres, votre adresse reste sur la liste d’exclusion, afin qu’on ne vous écrive plus jamais.`,
      rights: 'Vos droits',
      rightsBody: (c) =>
        `Les lettres aux organisations membres comportent un lien pour les arrêter. Pour vous opposer, savoir ce qui est conservé à votre sujet ou le faire effacer, ${c ? `écrivez à ${c} ou ` : ''}répondez à l’une des lettres.`,
    },
  },
  de: {
    pageTitle: (c) => `Ihre Briefe von ${c}`,
    writesTo: (c, a) => `${c} schreibt an ${a}.`,
    question: 'Was möchten Sie abbestellen?',
    stopAll: (c) => `Alle Briefe von ${c}`,
    stopAllHint:
      'Ihre Adresse kommt auf die Sperrliste der Koalition: keine ihrer Kampagnen schreibt ihr mehr.',
    stopFollowUps: 'Nur die Nachfassbriefe zu diesem Brief',
    stopFollowUpsHint: (s) =>
      `Keine Erinnerungen zu „${s}“; die anderen Briefe der Koalition erreichen Sie weiterhin.`,
    confirm: 'Bestätigen',
    stoppedAll: (c) => `Sie erhalten keine Briefe mehr von ${c}`,
    stoppedAllBody: (a) => `Ab jetzt schreibt keine Kampagne der Koalition mehr an ${a}.`,
    stoppedFollowUps: 'Sie erhalten keine Nachfassbriefe zu diesem Brief',
    stoppedFollowUpsBody: (a) => `Andere Briefe der Koalition können ${a} weiterhin erreichen.`,
    undoUntil: (d) => `Umentschieden? Sie können dies bis zum ${d} rückgängig machen.`,
    undo: 'Rückgängig machen',
    undoOver:
      'Die 30 Tage zum Rückgängigmachen sind vorbei. Um wieder Briefe zu erhalten, schreiben Sie der Koalition.',
    undone: 'Ihre Briefe kommen weiter',
    undoneBody: (a) => `${a} erhält die Briefe der Koalition wieder.`,
    blocked: (c) => `${c} schreibt dieser Adresse nicht`,
    blockedBody:
      'Briefe an sie konnten nicht zugestellt werden oder wurden als unerwünscht gemeldet; sie steht daher auf der Sperrliste. Um wieder Briefe zu erhalten, schreiben Sie der Koalition.',
    whyHeading: 'Warum Sie diesen Brief erhalten haben',
    gone: 'Dieser Link ist nicht verfügbar',
    goneBody: 'Der Link, dem Sie gefolgt sind, ist ungültig oder nicht mehr verfügbar.',
    notUnderstood: 'Anfrage nicht verstanden',
    notUnderstoodBody:
      'Wählen Sie, was Sie abbestellen möchten, und drücken Sie dann die Schaltfläche.',
    approvedOn: (d) => `Text freigegeben am ${d}`,
    fingerprint: 'Fingerabdruck des freigegebenen Texts (SHA-256)',
    privacy: {
      who: 'Verantwortlich',
      whoDefault:
        'Die am Fuß des Briefes genannte Koalition; dieser Dienst versendet ihre Briefe in ihrem Auftrag.',
      what: 'Was gespeichert wird',
      whatBody:
        'Ihr Name, Ihre Funktion, Organisation und E-Mail-Adresse, wie die Liste der Koalition sie angibt, woher die Adresse stammt, und was aus jedem Brief an Sie wurde (zugestellt, geöffnet, beantwortet).',
      purpose: 'Zweck',
      purposeBody:
        'Ihnen die Erklärungen der Koalition vor den Treffen zu senden, die sie betreffen, und zu wissen, ob sie Sie erreicht haben.',
      howLong: 'Wie lange',
      howLongBody: (n) =>
        `Bis ${n} Tage nach dem Ende der Kampagne. Haben Sie keine Briefe mehr gewünscht, bleibt Ihre Adresse auf der Sperrliste, damit ihr nie wieder geschrieben wird.`,
      rights: 'Ihre Rechte',
      rightsBody: (c) =>
        `Briefe an Mitgliedsorganisationen enthalten einen Link zum Abbestellen. Um zu widersprechen, zu erfahren, was über Sie gespeichert ist, oder es löschen zu lassen, ${c ? `schreiben Sie an ${c} oder ` : ''}antworten Sie auf einen der Briefe.`,
    },
  },
  ru: {
    pageTitle: (c) => `Ваши письма от ${c}`,
    writesTo: (c, a) => `${c} пишет на адрес ${a}.`,
    question: 'Что вы хотите отключить?',
    stopAll: (c) => `Все письма от ${c}`,
    stopAllHint:
      'Ваш адрес будет внесён в стоп-лист коалиции: ни одна её кампания больше не напишет на него.',
    stopFollowUps: 'Только повторные письма по этому письму',
    stopFollowUpsHint: (s) =>
      `Никаких напоминаний о «${s}»; другие письма коалиции по-прежнему будут приходить.`,
    confirm: 'Подтвердить',
    stoppedAll: (c) => `Вы больше не будете получать писем от ${c}`,
    stoppedAllBody: (a) => `С этого момента ни одна кампания коалиции не пишет на ${a}.`,
    stoppedFollowUps: 'Вы не будете получать повторных писем по этому письму',
    stoppedFollowUpsBody: (a) => `Другие письма коалиции могут по-прежнему приходить на ${a}.`,
    undoUntil: (d) => `Передумали? Отменить это можно до ${d}.`,
    undo: 'Отменить',
    undoOver: '30 дней на отмену прошли. Чтобы снова получать письма, напишите коалиции.',
    undone: 'Письма будут приходить снова',
    undoneBody: (a) => `${a} снова получает письма коалиции.`,
    blocked: (c) => `${c} не пишет на этот адрес`,
    blockedBody:
      'Письма на него не удалось доставить или они были отмечены как нежелательные, поэтому он в стоп-листе. Чтобы снова получать письма, напишите коалиции.',
    whyHeading: 'Почему вы получили это письмо',
    gone: 'Эта ссылка недоступна',
    goneBody: 'Ссылка, по которой вы перешли, недействительна или больше недоступна.',
    notUnderstood: 'Запрос не понят',
    notUnderstoodBody: 'Выберите, что отключить, и нажмите кнопку.',
    approvedOn: (d) => `Текст утверждён ${d}`,
    fingerprint: 'Отпечаток утверждённого текста (SHA-256)',
    privacy: {
      who: 'Кто отвечает',
      whoDefault:
        'Коалиция, названная внизу полученного вами письма; этот сервис отправляет её письма от её имени.',
      what: 'Что хранится',
      whatBody:
        'Ваше имя, должность, организация и адрес электронной почты в том виде, в каком их даёт список коалиции, источник адреса и что стало с каждым отправленным вам письмом (доставлено, открыто, получен ответ).',
      purpose: 'Зачем',
      purposeBody:
        'Чтобы отправлять вам заявления коалиции перед встречами, к которым они относятся, и знать, дошли ли они до вас.',
      howLong: 'Как долго',
      howLongBody: (n) =>
        `До ${n} дней после окончания кампании. Если вы попросили больше не писать вам, адрес остаётся в стоп-листе, чтобы на него больше никогда не писали.`,
      rights: 'Ваши права',
      rightsBody: (c) =>
        `В письмах организациям — членам коалиции есть ссылка для отказа от писем. Чтобы возразить, узнать, что о вас хранится, или удалить это, ${c ? `напишите на ${c} или ` : ''}ответьте на любое из писем.`,
    },
  },
  es: {
    pageTitle: (c) => `Sus cartas de ${c}`,
    writesTo: (c, a) => `${c} escribe a ${a}.`,
    question: '¿Qué desea dejar de recibir?',
    stopAll: (c) => `Todas las cartas de ${c}`,
    stopAllHint:
      'Su dirección entra en la lista de exclusión de la coalición: ninguna de sus campañas volverá a escribirle.',
    stopFollowUps: 'Solo los recordatorios de esta carta',
    stopFollowUpsHint: (s) =>
      `Ningún recordatorio sobre «${s}»; las demás cartas de la coalición le seguirán llegando.`,
    confirm: 'Confirmar',
    stoppedAll: (c) => `No recibirá más cartas de ${c}`,
    stoppedAllBody: (a) => `A partir de ahora, ninguna campaña de la coalición escribe a ${a}.`,
    stoppedFollowUps: 'No recibirá recordatorios de esta carta',
    stoppedFollowUpsBody: (a) => `Las demás cartas de la coalición pueden seguir llegando a ${a}.`,
    undoUntil: (d) => `¿Ha cambiado de opinión? Puede deshacerlo hasta el ${d}.`,
    undo: 'Deshacer',
    undoOver:
      'Han pasado los 30 días para deshacerlo. Para volver a recibir cartas, escriba a la coalición.',
    undone: 'Sus cartas continúan',
    undoneBody: (a) => `${a} vuelve a recibir las cartas de la coalición.`,
    blocked: (c) => `${c} no escribe a esta dirección`,
    blockedBody:
      'No se le pudieron entregar cartas o fueron señaladas como no deseadas, por lo que está en la lista de exclusión. Para volver a recibir cartas, escriba a la coalición.',
    whyHeading: 'Por qué ha recibido esta carta',
    gone: 'Este enlace no está disponible',
    goneBody: 'El enlace que ha seguido no es válido o ya no está disponible.',
    notUnderstood: 'Solicitud no comprendida',
    notUnderstoodBody: 'Elija qué desea dejar de recibir y pulse el botón.',
    approvedOn: (d) => `Texto aprobado el ${d}`,
    fingerprint: 'Huella del texto aprobado (SHA-256)',
    privacy: {
      who: 'Responsable',
      whoDefault:
        'La coalición nombrada al pie de la carta que recibió; este servicio envía sus cartas en su nombre.',
      what: 'Qué se conserva',
      whatBody:
        'Su nombre, cargo, organización y dirección de correo tal como los da la lista de la coalición, la procedencia de la dirección y lo que ocurrió con cada carta que se le envió (entregada, abierta, respondida).',
      purpose: 'Para qué',
      purposeBody:
        'Para enviarle las declaraciones de la coalición antes de las reuniones a las que se refieren, y saber si le llegaron.',
      howLong: 'Durante cuánto tiempo',
      howLongBody: (n) =>
        `Hasta ${n} días después del final de la campaña. Si pidió no recibir más cartas, su dirección permanece en la lista de exclusión para que nunca se le vuelva a escribir.`,
      rights: 'Sus derechos',
      rightsBody: (c) =>
        `Las cartas a organizaciones miembro llevan un enlace para darse de baja. Para oponerse, saber qué se conserva sobre usted o hacer que se borre, ${c ? `escriba a ${c} o ` : ''}responda a cualquiera de las cartas.`,
    },
  },
  it: {
    pageTitle: (c) => `Le sue lettere da ${c}`,
    writesTo: (c, a) => `${c} scrive a ${a}.`,
    question: 'Che cosa desidera interrompere?',
    stopAll: (c) => `Tutte le lettere di ${c}`,
    stopAllHint:
      'Il suo indirizzo entra nella lista di esclusione della coalizione: nessuna delle sue campagne le scriverà più.',
    stopFollowUps: 'Solo i solleciti di questa lettera',
    stopFollowUpsHint: (s) =>
      `Nessun promemoria su «${s}»; le altre lettere della coalizione continuano ad arrivarle.`,
    confirm: 'Conferma',
    stoppedAll: (c) => `Non riceverà più lettere da ${c}`,
    stoppedAllBody: (a) => `Da ora in poi nessuna campagna della coalizione scrive a ${a}.`,
    stoppedFollowUps: 'Non riceverà solleciti di questa lettera',
    stoppedFollowUpsBody: (a) =>
      `Le altre lettere della coalizione possono ancora arrivare a ${a}.`,
    undoUntil: (d) => `Ha cambiato idea? Può annullare fino al ${d}.`,
    undo: 'Annulla',
    undoOver:
      'I 30 giorni per annullare sono trascorsi. Per ricevere di nuovo lettere, scriva alla coalizione.',
    undone: 'Le sue lettere continuano',
    undoneBody: (a) => `${a} riceve di nuovo le lettere della coalizione.`,
    blocked: (c) => `${c} non scrive a questo indirizzo`,
    blockedBody:
      'Le lettere non hanno potuto essergli recapitate o sono state segnalate come indesiderate, perciò è nella lista di esclusione. Per ricevere di nuovo lettere, scriva alla coalizione.',
    whyHeading: 'Perché ha ricevuto questa lettera',
    gone: 'Questo link non è disponibile',
    goneBody: 'Il link che ha seguito non è valido o non è più disponibile.',
    notUnderstood: 'Richiesta non compresa',
    notUnderstoodBody: 'Scelga che cosa interrompere, poi prema il pulsante.',
    approvedOn: (d) => `Testo approvato il ${d}`,
    fingerprint: 'Impronta del testo approvato (SHA-256)',
    privacy: {
      who: 'Titolare',
      whoDefault:
        'La coalizione indicata in fondo alla lettera che ha ricevuto; questo servizio invia le sue lettere per suo conto.',
      what: 'Che cosa viene conservato',
      whatBody:
        'Il suo nome, la funzione, l’organizzazione e l’indirizzo e-mail come li riporta la lista della coalizione, la provenienza dell’indirizzo e l’esito di ogni lettera inviatale (recapitata, aperta, con risposta).',
      purpose: 'Perché',
      purposeBody:
        'Per inviarle le dichiarazioni della coalizione prima delle riunioni a cui si riferiscono, e sapere se le sono arrivate.',
      howLong: 'Per quanto tempo',
      howLongBody: (n) =>
        `Fino a ${n} giorni dopo la fine della campagna. Se ha chiesto di non ricevere più lettere, il suo indirizzo resta nella lista di esclusione, perché non le si scriva mai più.`,
      rights: 'I suoi diritti',
      rightsBody: (c) =>
        `Le lettere alle organizzazioni membro contengono un link per interromperle. Per opporsi, sapere che cosa è conservato su di lei o farlo cancellare, ${c ? `scriva a ${c} o ` : ''}risponda a una delle lettere.`,
    },
  },
  pt: {
    pageTitle: (c) => `As suas cartas de ${c}`,
    writesTo: (c, a) => `${c} escreve para ${a}.`,
    question: 'O que pretende deixar de receber?',
    stopAll: (c) => `Todas as cartas de ${c}`,
    stopAllHint:
      'O seu endereço entra na lista de exclusão da coligação: nenhuma das suas campanhas lhe voltará a escrever.',
    stopFollowUps: 'Apenas os lembretes desta carta',
    stopFollowUpsHint: (s) =>
      `Nenhum lembrete sobre «${s}»; as outras cartas da coligação continuam a chegar-lhe.`,
    confirm: 'Confirmar',
    stoppedAll: (c) => `Não receberá mais cartas de ${c}`,
    stoppedAllBody: (a) => `A partir de agora, nenhuma campanha da coligação escreve para ${a}.`,
    stoppedFollowUps: 'Não receberá lembretes desta carta',
    stoppedFollowUpsBody: (a) => `As outras cartas da coligação podem continuar a chegar a ${a}.`,
    undoUntil: (d) => `Mudou de ideias? Pode anular esta escolha até ${d}.`,
    undo: 'Anular',
    undoOver:
      'Os 30 dias para anular já passaram. Para voltar a receber cartas, escreva à coligação.',
    undone: 'As suas cartas continuam',
    undoneBody: (a) => `${a} volta a receber as cartas da coligação.`,
    blocked: (c) => `${c} não escreve para este endereço`,
    blockedBody:
      'Não foi possível entregar-lhe cartas ou estas foram assinaladas como indesejadas, pelo que está na lista de exclusão. Para voltar a receber cartas, escreva à coligação.',
    whyHeading: 'Porque recebeu esta carta',
    gone: 'Esta ligação não está disponível',
    goneBody: 'A ligação que seguiu não é válida ou já não está disponível.',
    notUnderstood: 'Pedido não compreendido',
    notUnderstoodBody: 'Escolha o que pretende deixar de receber e prima o botão.',
    approvedOn: (d) => `Texto aprovado em ${d}`,
    fingerprint: 'Impressão digital do texto aprovado (SHA-256)',
    privacy: {
      who: 'Responsável',
      whoDefault:
        'A coligação indicada no fim da carta que recebeu; este serviço envia as suas cartas em seu nome.',
      what: 'O que é guardado',
      whatBody:
        'O seu nome, cargo, organização e endereço de correio eletrónico tal como a lista da coligação os indica, a origem do endereço e o que aconteceu a cada carta que lhe foi enviada (entregue, aberta, respondida).',
      purpose: 'Para quê',
      purposeBody:
        'Para lhe enviar as declarações da coligação antes das reuniões a que dizem respeito, e saber se lhe chegaram.',
      howLong: 'Durante quanto tempo',
      howLongBody: (n) =>
        `Até ${n} dias após o fim da campanha. Se pediu para não receber mais cartas, o seu endereço fica na lista de exclusão, para que nunca mais lhe escrevam.`,
      rights: 'Os seus direitos',
      rightsBody: (c) =>
        `As cartas às organizações membro têm uma ligação para as deixar de receber. Para se opor, saber o que está guardado sobre si ou pedir o seu apagamento, ${c ? `escreva para ${c} ou ` : ''}responda a qualquer uma das cartas.`,
    },
  },
};

/** The languages the recipient's pages are written in. */
export const PAGE_LANGUAGES = Object.keys(WORDS);

/** The page words of a language (its base language, else English). */
export function pageWordsFor(language: string): PageWords {
  return WORDS[language] ?? WORDS[language.split('-')[0]!.toLowerCase()] ?? WORDS.en!;
}
