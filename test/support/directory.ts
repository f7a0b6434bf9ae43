/**
 * Two versions of a coalition's target list, as a spreadsheet in a European
 * locale exports them (semicolons, CRLF, UTF-8, a quoted cell): October's,
 * with one bad row, and November's, in which the French minister has a new
 * cabinet address, the EEAS director a new title, the German Permanent
 * Representation is left out and the Polish minister is new. The addresses
 * are SES's simulator's: the Swedish minister's bounces.
 */
const HEADER =
  'External ID;Kind;Name;Salutation;Title;Organisation;Institution type;Country;Language;Group;Email;Fallback emails;Tags;Source;Last verified;Notes';
const SE =
  'SE-MFA-01;person;Tobias Berg;Dear Minister;Minister for Foreign Affairs;Ministry for Foreign Affairs;Ministry;SE;en;minister;bounce@simulator.amazonses.com;success+se-registry@simulator.amazonses.com;FAC, EaP focal points;mfa.se website;2026-10-02;Prefers English';
const NGO =
  'NGO-01;office;Civic Network;Dear colleagues;;Civic Network;NGO;LT;en;ngo;success+ngo@simulator.amazonses.com;;members;membership list;2026-11-01;';
export const DIRECTORY_V1 = [
  HEADER,
  SE,
  'FR-MFA-01;person;Claire Lefèvre;Madame la Ministre;Ministre des Affaires étrangères;Ministère de l’Europe et des Affaires étrangères;Ministry;FR;fr;minister;success+fr@simulator.amazonses.com;;FAC;phone call;2026-10-12;',
  'EU-EEAS-01;person;Jan Novak;Dear Director;Director for Eastern Europe;European External Action Service;EEAS;BE;en;eu-institution;success+eeas@simulator.amazonses.com;;EaP focal points;EEAS org chart;2026-09-15;',
  'DE-PR-01;office;Permanent Representation of Germany to the EU;Excellency;;Ständige Vertretung;Permanent Representation;DE;de;eu-institution;success+de-pr@simulator.amazonses.com;;COREPER II;website;2026-04-01;',
  NGO,
  'BAD-01;person;No Address;;;;Ministry;PL;pl;minister;not-an-address;;FAC;;2026-10-01;',
].join('\r\n');
export const DIRECTORY_V2 = [
  HEADER,
  SE,
  'FR-MFA-01;person;Claire Lefèvre;Madame la Ministre;Ministre des Affaires étrangères;Ministère de l’Europe et des Affaires étrangères;Ministry;FR;fr;minister;success+fr-cabinet@simulator.amazonses.com;success+fr@simulator.amazonses.com;FAC;phone call 20 Nov;2026-11-20;New cabinet address',
  'EU-EEAS-01;person;Jan Novák;Dear Director;Managing Director for Europe;European External Action Service;EEAS;BE;en;eu-institution;success+eeas@simulator.amazonses.com;;EaP focal points;EEAS org chart;2026-11-18;',
  NGO,
  'PL-MFA-01;person;Anna Kowalska;Szanowna Pani Minister;Minister Spraw Zagranicznych;Ministerstwo Spraw Zagranicznych;Ministry;PL;pl;minister;success+pl@simulator.amazonses.com;;FAC;msz.gov.pl;2026-11-25;',
].join('\r\n');
