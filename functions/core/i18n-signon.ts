/**
 * The words of coalition sign-on: the letter's list of co-signing
 * organisations (in every language the letter's own fixed strings have,
 * i18n.ts), and the public sign-on page and its confirmation mail (the same
 * languages: English, French, German, Russian, Spanish, Italian and
 * Portuguese; others fall back to English words and keep their own `lang`). Whole sentences, so each language orders its own words; values
 * passed in are escaped where the page or letter is built.
 */

export interface CosignLetterWords {
  heading: (n: number) => string;
  more: (n: number) => string;
  fullList: string;
}

const LETTER: Record<string, CosignLetterWords> = {
  en: {
    heading: (n) => (n === 1 ? 'Co-signed by 1 organisation' : `Co-signed by ${n} organisations`),
    more: (n) => (n === 1 ? 'and 1 more organisation' : `and ${n} more organisations`),
    fullList: 'The full list of signatories',
  },
  fr: {
    heading: (n) => (n === 1 ? 'Cosigné par 1 organisation' : `Cosigné par ${n} organisations`),
    more: (n) => (n === 1 ? 'et 1 autre organisation' : `et ${n} autres organisations`),
    fullList: 'La liste complète des signataires',
  },
  de: {
    heading: (n) =>
      n === 1 ? 'Mitunterzeichnet von 1 Organisation' : `Mitunterzeichnet von ${n} Organisationen`,
    more: (n) => (n === 1 ? 'und 1 weitere Organisation' : `und ${n} weitere Organisationen`),
    fullList: 'Die vollständige Liste der Unterzeichnenden',
  },
  ru: {
    heading: (n) => `Подписали организации: ${n}`,
    more: (n) => `и ещё организаций: ${n}`,
    fullList: 'Полный список подписавших',
  },
  es: {
    heading: (n) =>
      n === 1 ? 'Firmado también por 1 organización' : `Firmado también por ${n} organizaciones`,
    more: (n) => (n === 1 ? 'y 1 organización más' : `y ${n} organizaciones más`),
    fullList: 'La lista completa de firmantes',
  },
  it: {
    heading: (n) =>
      n === 1 ? 'Firmato anche da 1 organizzazione' : `Firmato anche da ${n} organizzazioni`,
    more: (n) => (n === 1 ? 'e 1 altra organizzazione' : `e altre ${n} organizzazioni`),
    fullList: 'L’elenco completo dei firmatari',
  },
  pt: {
    heading: (n) => (n === 1 ? 'Subscrito por 1 organização' : `Subscrito por ${n} organizações`),
    more: (n) => (n === 1 ? 'e mais 1 organização' : `e mais ${n} organizações`),
    fullList: 'A lista completa dos signatários',
  },
};

export const cosignLetterWords = (language: string): CosignLetterWords =>
  LETTER[language.split('-')[0]!.toLowerCase()] ?? LETTER.en!;

/** The countries the letter names, in its own language ("Biélorussie", "Беларусь"). */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([language, 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export interface SignonPageWords {
  title: (statementTitle: string) => string;
  intro: (coalition: string, closesAt: string) => string;
  statementHeading: string;
  signedHeading: (n: number) => string;
  noneYet: string;
  formHeading: string;
  name: string;
  nameHint: string;
  latin: string;
  latinHint: string;
  country: string;
  type: string;
  types: Record<string, string>;
  website: string;
  contactName: string;
  contactEmail: string;
  contactHint: string;
  consent: (coalition: string) => string;
  consentShort: string;
  submit: string;
  honeypot: string;
  sentHeading: string;
  sentBody: string;
  mailFailed: string;
  confirmHeading: string;
  confirmBody: (name: string) => string;
  confirmButton: string;
  confirmedHeading: string;
  confirmedBody: (name: string) => string;
  closedHeading: string;
  closedBody: string;
  goneHeading: string;
  goneBody: string;
  problemsHeading: string;
  already: string;
  tooMany: string;
  mailSubject: (title: string) => string;
  mailBody: (p: { name: string; title: string; coalition: string; url: string }) => string;
  renamedSubject: (title: string) => string;
  renamedBody: (p: { from: string; to: string; title: string; coalition: string }) => string;
  listHeading: (title: string) => string;
  languages: string;
  required: string;
}

const TYPES_EN = {
  ngo: 'Non-governmental organisation',
  network: 'Network or coalition',
  'trade-union': 'Trade union',
  foundation: 'Foundation',
  'think-tank': 'Think tank or research institute',
  media: 'Media organisation',
  faith: 'Faith-based organisation',
  other: 'Other',
};

/** Russian counts take one of three forms (1 организация, 2 организации, 5 организаций). */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const form = new Intl.PluralRules('ru').select(n);
  return form === 'one' ? one : form === 'few' ? few : many;
}

const PAGE: Record<string, SignonPageWords> = {
  en: {
    title: (t) => `Co-sign: ${t}`,
    intro: (c, at) =>
      `${c} invites organisations to co-sign this statement before it is sent. Signatures are taken until ${at}.`,
    statementHeading: 'The statement',
    signedHeading: (n) =>
      n === 1 ? '1 organisation has signed' : `${n} organisations have signed`,
    noneYet: 'No organisation has confirmed its signature yet.',
    formHeading: 'Sign on behalf of your organisation',
    name: 'Organisation’s name',
    nameHint: 'In its own language and script, as it should appear under the statement.',
    latin: 'Name in Latin letters (optional)',
    latinHint: 'A transliteration, if the name is written in another script.',
    country: 'Country',
    type: 'Type of organisation',
    types: TYPES_EN,
    website: 'Website (optional)',
    contactName: 'Contact person',
    contactEmail: 'Contact email',
    contactHint: 'We send a link to this address: the signature counts once it is confirmed.',
    consent: (c) =>
      `I sign on behalf of this organisation, and agree that ${c} keeps the contact person’s name and email to confirm the signature and to send the statement and its outcome; they are not shown publicly and are deleted when the campaign’s records expire.`,
    consentShort: 'Consent',
    submit: 'Sign the statement',
    honeypot: 'Leave this field empty',
    sentHeading: 'Check your email',
    sentBody:
      'We sent a link to the contact email you gave. Open it to confirm the signature; until then it is not shown anywhere.',
    mailFailed:
      'The signature is recorded, but the confirmation email could not be sent just now. The coalition will send it again.',
    confirmHeading: 'Confirm the signature',
    confirmBody: (n) => `Confirm that ${n} co-signs the statement.`,
    confirmButton: 'Confirm the signature',
    confirmedHeading: 'Thank you: the signature is confirmed',
    confirmedBody: (n) =>
      `${n} is now listed among the signatories. The coalition checks each signature before the statement is sent.`,
    closedHeading: 'Sign-on is closed',
    closedBody: 'This statement no longer takes signatures.',
    goneHeading: 'This link does not work',
    goneBody:
      'The link is not valid, or has been replaced by a new one. Ask the coalition for a current link.',
    problemsHeading: 'Please check the form',
    already: 'This email address has already been used to sign this statement.',
    tooMany: 'Too many signatures from here in a short time: please try again in an hour.',
    mailSubject: (t) => `Please confirm your signature: ${t}`,
    mailBody: (p) =>
      `Hello ${p.name},\n\nThank you for co-signing “${p.title}”. Please open this link to confirm the signature:\n\n${p.url}\n\nUntil you confirm, the signature is not shown anywhere. If you did not sign, ignore this email: nothing more will be sent.\n\n${p.coalition}`,
    renamedSubject: (t) => `Your organisation’s name under “${t}”`,
    renamedBody: (p) =>
      `Hello,\n\nThe coalition will list your organisation under “${p.title}” as:\n\n  ${p.to}\n\n(it was given as “${p.from}”). If this is wrong, reply to this email.\n\n${p.coalition}`,
    listHeading: (t) => `Signatories of “${t}”`,
    languages: 'Other languages',
    required: 'required',
  },
  fr: {
    title: (t) => `Cosigner : ${t}`,
    intro: (c, at) =>
      `${c} invite les organisations à cosigner cette déclaration avant son envoi. Les signatures sont reçues jusqu’au ${at}.`,
    statementHeading: 'La déclaration',
    signedHeading: (n) => (n === 1 ? '1 organisation a signé' : `${n} organisations ont signé`),
    noneYet: 'Aucune organisation n’a encore confirmé sa signature.',
    formHeading: 'Signer au nom de votre organisation',
    name: 'Nom de l’organisation',
    nameHint: 'Dans sa langue et son écriture, tel qu’il doit figurer sous la déclaration.',
    latin: 'Nom en caractères latins (facultatif)',
    latinHint: 'Une translittération, si le nom s’écrit dans un autre alphabet.',
    country: 'Pays',
    type: 'Type d’organisation',
    types: {
      ngo: 'Organisation non gouvernementale',
      network: 'Réseau ou coalition',
      'trade-union': 'Syndicat',
      foundation: 'Fondation',
      'think-tank': 'Groupe de réflexion ou institut de recherche',
      media: 'Média',
      faith: 'Organisation confessionnelle',
      other: 'Autre',
    },
    website: 'Site web (facultatif)',
    contactName: 'Personne de contact',
    contactEmail: 'Adresse e-mail de contact',
    contactHint: 'Nous envoyons un lien à cette adresse : la signature compte une fois confirmée.',
    consent: (c) =>
      `Je signe au nom de cette organisation et j’accepte que ${c} conserve le nom et l’adresse e-mail de la personne de contact pour confirmer la signature et lui envoyer la déclaration et ses suites ; ils ne sont pas publiés et sont effacés à l’expiration des données de la campagne.`,
    consentShort: 'Consentement',
    submit: 'Signer la déclaration',
    honeypot: 'Laissez ce champ vide',
    sentHeading: 'Consultez votre messagerie',
    sentBody:
      'Nous avons envoyé un lien à l’adresse de contact indiquée. Ouvrez-le pour confirmer la signature ; d’ici là, elle n’apparaît nulle part.',
    mailFailed:
      'La signature est enregistrée, mais l’e-mail de confirmation n’a pas pu être envoyé pour l’instant. La coalition le renverra.',
    confirmHeading: 'Confirmer la signature',
    confirmBody: (n) => `Confirmez que ${n} cosigne la déclaration.`,
    confirmButton: 'Confirmer la signature',
    confirmedHeading: 'Merci : la signature est confirmée',
    confirmedBody: (n) =>
      `${n} figure désormais parmi les signataires. La coalition vérifie chaque signature avant l’envoi de la déclaration.`,
    closedHeading: 'Les signatures sont closes',
    closedBody: 'Cette déclaration ne reçoit plus de signatures.',
    goneHeading: 'Ce lien ne fonctionne pas',
    goneBody:
      'Le lien n’est pas valide, ou il a été remplacé. Demandez un lien à jour à la coalition.',
    problemsHeading: 'Veuillez vérifier le formulaire',
    already: 'Cette adresse e-mail a déjà servi à signer cette déclaration.',
    tooMany: 'Trop de signatures depuis cet endroit en peu de temps : réessayez dans une heure.',
    mailSubject: (t) => `Merci de confirmer votre signature : ${t}`,
    mailBody: (p) =>
      `Bonjour ${p.name},\n\nMerci d’avoir cosigné « ${p.title} ». Ouvrez ce lien pour confirmer la signature :\n\n${p.url}\n\nTant que vous ne l’avez pas confirmée, la signature n’apparaît nulle part. Si vous n’avez pas signé, ignorez ce message : rien d’autre ne vous sera envoyé.\n\n${p.coalition}`,
    renamedSubject: (t) => `Le nom de votre organisation sous « ${t} »`,
    renamedBody: (p) =>
      `Bonjour,\n\nLa coalition fera figurer votre organisation sous « ${p.title} » ainsi :\n\n  ${p.to}\n\n(nom donné : « ${p.from} »). Si c’est une erreur, répondez à ce message.\n\n${p.coalition}`,
    listHeading: (t) => `Signataires de « ${t} »`,
    languages: 'Autres langues',
    required: 'obligatoire',
  },
  de: {
    title: (t) => `Mitzeichnen: ${t}`,
    intro: (c, at) =>
      `${c} lädt Organisationen ein, diese Erklärung vor ihrem Versand mitzuzeichnen. Unterschriften werden bis ${at} angenommen.`,
    statementHeading: 'Die Erklärung',
    signedHeading: (n) =>
      n === 1 ? '1 Organisation hat unterzeichnet' : `${n} Organisationen haben unterzeichnet`,
    noneYet: 'Noch keine Organisation hat ihre Unterschrift bestätigt.',
    formHeading: 'Im Namen Ihrer Organisation unterzeichnen',
    name: 'Name der Organisation',
    nameHint: 'In ihrer eigenen Sprache und Schrift, so wie er unter der Erklärung stehen soll.',
    latin: 'Name in lateinischer Schrift (optional)',
    latinHint: 'Eine Transliteration, falls der Name in einer anderen Schrift geschrieben wird.',
    country: 'Land',
    type: 'Art der Organisation',
    types: {
      ngo: 'Nichtregierungsorganisation',
      network: 'Netzwerk oder Bündnis',
      'trade-union': 'Gewerkschaft',
      foundation: 'Stiftung',
      'think-tank': 'Denkfabrik oder Forschungsinstitut',
      media: 'Medienorganisation',
      faith: 'Religiöse Organisation',
      other: 'Sonstige',
    },
    website: 'Website (optional)',
    contactName: 'Ansprechperson',
    contactEmail: 'E-Mail-Adresse der Ansprechperson',
    contactHint:
      'Wir senden einen Link an diese Adresse: Die Unterschrift zählt, sobald sie bestätigt ist.',
    consent: (c) =>
      `Ich unterzeichne im Namen dieser Organisation und bin einverstanden, dass ${c} Name und E-Mail-Adresse der Ansprechperson speichert, um die Unterschrift zu bestätigen und die Erklärung und ihr Ergebnis zu senden; sie werden nicht veröffentlicht und gelöscht, wenn die Daten der Kampagne ablaufen.`,
    consentShort: 'Einwilligung',
    submit: 'Erklärung unterzeichnen',
    honeypot: 'Dieses Feld leer lassen',
    sentHeading: 'Bitte prüfen Sie Ihr E-Mail-Postfach',
    sentBody:
      'Wir haben einen Link an die angegebene Kontaktadresse gesendet. Öffnen Sie ihn, um die Unterschrift zu bestätigen; bis dahin wird sie nirgends angezeigt.',
    mailFailed:
      'Die Unterschrift ist gespeichert, aber die Bestätigungs-E-Mail konnte gerade nicht gesendet werden. Das Bündnis sendet sie erneut.',
    confirmHeading: 'Unterschrift bestätigen',
    confirmBody: (n) => `Bestätigen Sie, dass ${n} die Erklärung mitzeichnet.`,
    confirmButton: 'Unterschrift bestätigen',
    confirmedHeading: 'Danke: Die Unterschrift ist bestätigt',
    confirmedBody: (n) =>
      `${n} steht jetzt unter den Unterzeichnenden. Das Bündnis prüft jede Unterschrift, bevor die Erklärung versandt wird.`,
    closedHeading: 'Die Unterzeichnung ist geschlossen',
    closedBody: 'Diese Erklärung nimmt keine Unterschriften mehr an.',
    goneHeading: 'Dieser Link funktioniert nicht',
    goneBody:
      'Der Link ist ungültig oder wurde durch einen neuen ersetzt. Bitten Sie das Bündnis um einen aktuellen Link.',
    problemsHeading: 'Bitte prüfen Sie das Formular',
    already: 'Mit dieser E-Mail-Adresse wurde diese Erklärung bereits unterzeichnet.',
    tooMany:
      'Zu viele Unterschriften von hier in kurzer Zeit: Bitte versuchen Sie es in einer Stunde erneut.',
    mailSubject: (t) => `Bitte bestätigen Sie Ihre Unterschrift: ${t}`,
    mailBody: (p) =>
      `Guten Tag ${p.name},\n\nvielen Dank, dass Sie „${p.title}“ mitzeichnen. Bitte öffnen Sie diesen Link, um die Unterschrift zu bestätigen:\n\n${p.url}\n\nBis zu Ihrer Bestätigung wird die Unterschrift nirgends angezeigt. Wenn Sie nicht unterzeichnet haben, ignorieren Sie diese E-Mail: Es wird nichts weiter gesendet.\n\n${p.coalition}`,
    renamedSubject: (t) => `Der Name Ihrer Organisation unter „${t}“`,
    renamedBody: (p) =>
      `Guten Tag,\n\ndas Bündnis führt Ihre Organisation unter „${p.title}“ so auf:\n\n  ${p.to}\n\n(angegeben war „${p.from}“). Wenn das nicht stimmt, antworten Sie bitte auf diese E-Mail.\n\n${p.coalition}`,
    listHeading: (t) => `Unterzeichnende von „${t}“`,
    languages: 'Andere Sprachen',
    required: 'Pflichtfeld',
  },
  ru: {
    title: (t) => `Подписать: ${t}`,
    intro: (c, at) =>
      `${c} приглашает организации подписать это заявление до его отправки. Срок приёма подписей — ${at}.`,
    statementHeading: 'Заявление',
    signedHeading: (n) =>
      ruPlural(
        n,
        `${n} организация подписала`,
        `${n} организации подписали`,
        `${n} организаций подписали`,
      ),
    noneYet: 'Пока ни одна организация не подтвердила свою подпись.',
    formHeading: 'Подписать от имени вашей организации',
    name: 'Название организации',
    nameHint: 'На её языке и в её письменности, как оно должно стоять под заявлением.',
    latin: 'Название латиницей (необязательно)',
    latinHint: 'Транслитерация, если название пишется не латиницей.',
    country: 'Страна',
    type: 'Тип организации',
    types: {
      ngo: 'Неправительственная организация',
      network: 'Сеть или коалиция',
      'trade-union': 'Профсоюз',
      foundation: 'Фонд',
      'think-tank': 'Аналитический центр или исследовательский институт',
      media: 'СМИ',
      faith: 'Религиозная организация',
      other: 'Другое',
    },
    website: 'Веб-сайт (необязательно)',
    contactName: 'Контактное лицо',
    contactEmail: 'Электронная почта контактного лица',
    contactHint: 'Мы отправим ссылку на этот адрес: подпись засчитывается после подтверждения.',
    consent: (c) =>
      `Я подписываю от имени этой организации и соглашаюсь с тем, что ${c} хранит имя и адрес электронной почты контактного лица, чтобы подтвердить подпись и отправить заявление и его результаты; они не публикуются и удаляются, когда истекает срок хранения данных кампании.`,
    consentShort: 'Согласие',
    submit: 'Подписать заявление',
    honeypot: 'Оставьте это поле пустым',
    sentHeading: 'Проверьте электронную почту',
    sentBody:
      'Мы отправили ссылку на указанный контактный адрес. Откройте её, чтобы подтвердить подпись; до этого она нигде не показывается.',
    mailFailed:
      'Подпись сохранена, но письмо с подтверждением сейчас не удалось отправить. Коалиция отправит его повторно.',
    confirmHeading: 'Подтвердите подпись',
    confirmBody: (n) => `Подтвердите, что ${n} подписывает заявление.`,
    confirmButton: 'Подтвердить подпись',
    confirmedHeading: 'Спасибо: подпись подтверждена',
    confirmedBody: (n) =>
      `${n} теперь в списке подписавших. Коалиция проверяет каждую подпись перед отправкой заявления.`,
    closedHeading: 'Сбор подписей закрыт',
    closedBody: 'Это заявление больше не принимает подписи.',
    goneHeading: 'Эта ссылка не работает',
    goneBody: 'Ссылка недействительна или заменена новой. Попросите у коалиции актуальную ссылку.',
    problemsHeading: 'Пожалуйста, проверьте форму',
    already: 'С этого адреса электронной почты это заявление уже подписано.',
    tooMany: 'Слишком много подписей отсюда за короткое время: попробуйте снова через час.',
    mailSubject: (t) => `Пожалуйста, подтвердите подпись: ${t}`,
    mailBody: (p) =>
      `Здравствуйте, ${p.name}!\n\nСпасибо, что подписали «${p.title}». Откройте эту ссылку, чтобы подтвердить подпись:\n\n${p.url}\n\nПока вы не подтвердите подпись, она нигде не показывается. Если вы не подписывали, не обращайте внимания на это письмо: больше ничего отправлено не будет.\n\n${p.coalition}`,
    renamedSubject: (t) => `Название вашей организации под «${t}»`,
    renamedBody: (p) =>
      `Здравствуйте!\n\nКоалиция укажет вашу организацию под «${p.title}» так:\n\n  ${p.to}\n\n(было указано: «${p.from}»). Если это ошибка, ответьте на это письмо.\n\n${p.coalition}`,
    listHeading: (t) => `Подписавшие «${t}»`,
    languages: 'Другие языки',
    required: 'обязательно',
  },
  es: {
    title: (t) => `Firmar: ${t}`,
    intro: (c, at) =>
      `${c} invita a las organizaciones a firmar esta declaración antes de su envío. Se reciben firmas hasta el ${at}.`,
    statementHeading: 'La declaración',
    signedHeading: (n) =>
      n === 1 ? '1 organización ha firmado' : `${n} organizaciones han firmado`,
    noneYet: 'Ninguna organización ha confirmado todavía su firma.',
    formHeading: 'Firmar en nombre de su organización',
    name: 'Nombre de la organización',
    nameHint: 'En su propio idioma y alfabeto, tal como debe figurar bajo la declaración.',
    latin: 'Nombre en caracteres latinos (opcional)',
    latinHint: 'Una transliteración, si el nombre se escribe en otro alfabeto.',
    country: 'País',
    type: 'Tipo de organización',
    types: {
      ngo: 'Organización no gubernamental',
      network: 'Red o coalición',
      'trade-union': 'Sindicato',
      foundation: 'Fundación',
      'think-tank': 'Centro de estudios o instituto de investigación',
      media: 'Medio de comunicación',
      faith: 'Organización religiosa',
      other: 'Otro',
    },
    website: 'Sitio web (opcional)',
    contactName: 'Persona de contacto',
    contactEmail: 'Correo electrónico de contacto',
    contactHint: 'Enviamos un enlace a esta dirección: la firma cuenta una vez confirmada.',
    consent: (c) =>
      `Firmo en nombre de esta organización y acepto que ${c} conserve el nombre y el correo electrónico de la persona de contacto para confirmar la firma y enviarle la declaración y su resultado; no se publican y se eliminan cuando caducan los datos de la campaña.`,
    consentShort: 'Consentimiento',
    submit: 'Firmar la declaración',
    honeypot: 'Deje este campo vacío',
    sentHeading: 'Revise su correo electrónico',
    sentBody:
      'Hemos enviado un enlace a la dirección de contacto indicada. Ábralo para confirmar la firma; hasta entonces no aparece en ningún sitio.',
    mailFailed:
      'La firma está registrada, pero el correo de confirmación no se ha podido enviar ahora. La coalición lo enviará de nuevo.',
    confirmHeading: 'Confirmar la firma',
    confirmBody: (n) => `Confirme que ${n} firma la declaración.`,
    confirmButton: 'Confirmar la firma',
    confirmedHeading: 'Gracias: la firma está confirmada',
    confirmedBody: (n) =>
      `${n} figura ahora entre los firmantes. La coalición revisa cada firma antes de enviar la declaración.`,
    closedHeading: 'La recogida de firmas está cerrada',
    closedBody: 'Esta declaración ya no admite firmas.',
    goneHeading: 'Este enlace no funciona',
    goneBody:
      'El enlace no es válido o ha sido sustituido por uno nuevo. Pida a la coalición un enlace actual.',
    problemsHeading: 'Revise el formulario',
    already: 'Esta dirección de correo ya se ha usado para firmar esta declaración.',
    tooMany: 'Demasiadas firmas desde aquí en poco tiempo: inténtelo de nuevo dentro de una hora.',
    mailSubject: (t) => `Confirme su firma: ${t}`,
    mailBody: (p) =>
      `Hola, ${p.name}:\n\nGracias por firmar «${p.title}». Abra este enlace para confirmar la firma:\n\n${p.url}\n\nMientras no la confirme, la firma no aparece en ningún sitio. Si no ha firmado, ignore este correo: no se le enviará nada más.\n\n${p.coalition}`,
    renamedSubject: (t) => `El nombre de su organización en «${t}»`,
    renamedBody: (p) =>
      `Hola:\n\nLa coalición incluirá a su organización en «${p.title}» así:\n\n  ${p.to}\n\n(se indicó «${p.from}»). Si no es correcto, responda a este correo.\n\n${p.coalition}`,
    listHeading: (t) => `Firmantes de «${t}»`,
    languages: 'Otros idiomas',
    required: 'obligatorio',
  },
  it: {
    title: (t) => `Firma: ${t}`,
    intro: (c, at) =>
      `${c} invita le organizzazioni a firmare questa dichiarazione prima del suo invio. Le firme si raccolgono fino a ${at}.`,
    statementHeading: 'La dichiarazione',
    signedHeading: (n) =>
      n === 1 ? '1 organizzazione ha firmato' : `${n} organizzazioni hanno firmato`,
    noneYet: 'Nessuna organizzazione ha ancora confermato la propria firma.',
    formHeading: 'Firma a nome della tua organizzazione',
    name: 'Nome dell’organizzazione',
    nameHint: 'Nella sua lingua e nel suo alfabeto, come deve comparire sotto la dichiarazione.',
    latin: 'Nome in caratteri latini (facoltativo)',
    latinHint: 'Una traslitterazione, se il nome si scrive in un altro alfabeto.',
    country: 'Paese',
    type: 'Tipo di organizzazione',
    types: {
      ngo: 'Organizzazione non governativa',
      network: 'Rete o coalizione',
      'trade-union': 'Sindacato',
      foundation: 'Fondazione',
      'think-tank': 'Centro studi o istituto di ricerca',
      media: 'Organo di informazione',
      faith: 'Organizzazione religiosa',
      other: 'Altro',
    },
    website: 'Sito web (facoltativo)',
    contactName: 'Persona di contatto',
    contactEmail: 'Email di contatto',
    contactHint: 'Inviamo un link a questo indirizzo: la firma conta una volta confermata.',
    consent: (c) =>
      `Firmo a nome di questa organizzazione e accetto che ${c} conservi il nome e l’email della persona di contatto per confermare la firma e inviarle la dichiarazione e il suo esito; non vengono pubblicati e sono cancellati alla scadenza dei dati della campagna.`,
    consentShort: 'Consenso',
    submit: 'Firma la dichiarazione',
    honeypot: 'Lascia vuoto questo campo',
    sentHeading: 'Controlla la tua email',
    sentBody:
      'Abbiamo inviato un link all’indirizzo di contatto indicato. Aprilo per confermare la firma; fino ad allora non compare da nessuna parte.',
    mailFailed:
      'La firma è registrata, ma al momento non è stato possibile inviare l’email di conferma. La coalizione la invierà di nuovo.',
    confirmHeading: 'Conferma la firma',
    confirmBody: (n) => `Conferma che ${n} firma la dichiarazione.`,
    confirmButton: 'Conferma la firma',
    confirmedHeading: 'Grazie: la firma è confermata',
    confirmedBody: (n) =>
      `${n} compare ora tra i firmatari. La coalizione verifica ogni firma prima dell’invio della dichiarazione.`,
    closedHeading: 'La raccolta delle firme è chiusa',
    closedBody: 'Questa dichiarazione non accetta più firme.',
    goneHeading: 'Questo link non funziona',
    goneBody:
      'Il link non è valido o è stato sostituito da uno nuovo. Chiedi alla coalizione un link aggiornato.',
    problemsHeading: 'Controlla il modulo',
    already: 'Questo indirizzo email è già stato usato per firmare questa dichiarazione.',
    tooMany: 'Troppe firme da qui in poco tempo: riprova tra un’ora.',
    mailSubject: (t) => `Conferma la tua firma: ${t}`,
    mailBody: (p) =>
      `Buongiorno ${p.name},\n\ngrazie per aver firmato «${p.title}». Apri questo link per confermare la firma:\n\n${p.url}\n\nFinché non la confermi, la firma non compare da nessuna parte. Se non hai firmato, ignora questa email: non ti sarà inviato altro.\n\n${p.coalition}`,
    renamedSubject: (t) => `Il nome della tua organizzazione sotto «${t}»`,
    renamedBody: (p) =>
      `Buongiorno,\n\nla coalizione indicherà la tua organizzazione sotto «${p.title}» così:\n\n  ${p.to}\n\n(era stato indicato «${p.from}»). Se non è corretto, rispondi a questa email.\n\n${p.coalition}`,
    listHeading: (t) => `Firmatari di «${t}»`,
    languages: 'Altre lingue',
    required: 'obbligatorio',
  },
  pt: {
    title: (t) => `Subscrever: ${t}`,
    intro: (c, at) =>
      `${c} convida as organizações a subscrever esta declaração antes do seu envio. As assinaturas são recebidas até ${at}.`,
    statementHeading: 'A declaração',
    signedHeading: (n) => (n === 1 ? '1 organização subscreveu' : `${n} organizações subscreveram`),
    noneYet: 'Nenhuma organização confirmou ainda a sua assinatura.',
    formHeading: 'Subscrever em nome da sua organização',
    name: 'Nome da organização',
    nameHint: 'Na sua própria língua e escrita, tal como deve figurar sob a declaração.',
    latin: 'Nome em caracteres latinos (opcional)',
    latinHint: 'Uma transliteração, se o nome se escreve noutro alfabeto.',
    country: 'País',
    type: 'Tipo de organização',
    types: {
      ngo: 'Organização não governamental',
      network: 'Rede ou coligação',
      'trade-union': 'Sindicato',
      foundation: 'Fundação',
      'think-tank': 'Centro de estudos ou instituto de investigação',
      media: 'Órgão de comunicação social',
      faith: 'Organização religiosa',
      other: 'Outro',
    },
    website: 'Sítio web (opcional)',
    contactName: 'Pessoa de contacto',
    contactEmail: 'Email de contacto',
    contactHint:
      'Enviamos uma ligação para este endereço: a assinatura conta depois de confirmada.',
    consent: (c) =>
      `Subscrevo em nome desta organização e aceito que ${c} guarde o nome e o email da pessoa de contacto para confirmar a assinatura e lhe enviar a declaração e o seu resultado; não são publicados e são apagados quando os dados da campanha expiram.`,
    consentShort: 'Consentimento',
    submit: 'Subscrever a declaração',
    honeypot: 'Deixe este campo vazio',
    sentHeading: 'Consulte o seu email',
    sentBody:
      'Enviámos uma ligação para o endereço de contacto indicado. Abra-a para confirmar a assinatura; até lá, ela não aparece em lado nenhum.',
    mailFailed:
      'A assinatura está registada, mas não foi possível enviar agora o email de confirmação. A coligação vai enviá-lo de novo.',
    confirmHeading: 'Confirmar a assinatura',
    confirmBody: (n) => `Confirme que ${n} subscreve a declaração.`,
    confirmButton: 'Confirmar a assinatura',
    confirmedHeading: 'Obrigado: a assinatura está confirmada',
    confirmedBody: (n) =>
      `${n} figura agora entre os signatários. A coligação verifica cada assinatura antes do envio da declaração.`,
    closedHeading: 'A recolha de assinaturas está encerrada',
    closedBody: 'Esta declaração já não aceita assinaturas.',
    goneHeading: 'Esta ligação não funciona',
    goneBody:
      'A ligação não é válida ou foi substituída por uma nova. Peça à coligação uma ligação atual.',
    problemsHeading: 'Verifique o formulário',
    already: 'Este endereço de email já foi usado para subscrever esta declaração.',
    tooMany: 'Demasiadas assinaturas daqui em pouco tempo: tente de novo dentro de uma hora.',
    mailSubject: (t) => `Confirme a sua assinatura: ${t}`,
    mailBody: (p) =>
      `Olá ${p.name},\n\nobrigado por subscrever «${p.title}». Abra esta ligação para confirmar a assinatura:\n\n${p.url}\n\nEnquanto não a confirmar, a assinatura não aparece em lado nenhum. Se não subscreveu, ignore este email: não lhe será enviado mais nada.\n\n${p.coalition}`,
    renamedSubject: (t) => `O nome da sua organização em «${t}»`,
    renamedBody: (p) =>
      `Olá,\n\na coligação vai apresentar a sua organização em «${p.title}» assim:\n\n  ${p.to}\n\n(foi indicado «${p.from}»). Se não estiver correto, responda a este email.\n\n${p.coalition}`,
    listHeading: (t) => `Signatários de «${t}»`,
    languages: 'Outras línguas',
    required: 'obrigatório',
  },
};

/** The languages the sign-on page has words in. */
export const SIGNON_PAGE_LANGUAGES = Object.keys(PAGE);

export const signonPageWords = (language: string): SignonPageWords =>
  PAGE[language.split('-')[0]!.toLowerCase()] ?? PAGE.en!;
