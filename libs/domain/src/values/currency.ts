import { type Checked, invalid, valid } from './checked.js';

// Active ISO 4217 currencies a bill can be in: funds, precious metals and
// the testing and "no currency" codes are left out.
const ISO_4217 = new Set(
  (
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB ' +
    'BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK ' +
    'DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL ' +
    'HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD ' +
    'KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR ' +
    'MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG ' +
    'QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC ' +
    'SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND ' +
    'VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

/** An active ISO 4217 alphabetic currency code, upper-case. */
export function checkCurrency(text: string): Checked<string> {
  // Checked before upper-casing: Unicode case rules turn some non-ASCII
  // letters into ASCII ones.
  if (!/^[A-Za-z]{3}$/.test(text)) {
    return invalid('must be an ISO 4217 code of three letters such as EUR');
  }
  const code = text.toUpperCase();
  if (!ISO_4217.has(code))
    return invalid(`${code} is not an active ISO 4217 currency`);
  return valid(code);
}
