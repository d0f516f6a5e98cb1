//! The widget's own words: built-in strings in English, Tagalog, Belarusian,
//! Turkish, Hebrew and Malay, chosen by the visitor's languages, with
//! per-language overrides from the config (`"strings": {"he": {...}}`).
//!
//! The tables are static; a [`Strings`] borrows them and only allocates for
//! the strings a product team overrides.
//!
//! ```
//! use pathlight::i18n::{for_locales, is_rtl};
//!
//! let (locale, strings) = for_locales(&["he-IL", "en"]);
//! assert_eq!(locale, "he");
//! assert_eq!(strings.launcher, "עזרה");
//! assert!(is_rtl(locale));
//! ```

use crate::validate::{Path, Problems, Reader};
use serde_json::Value;
use std::borrow::Cow;

/// The longest string an override may set, in characters.
pub const MAX_CHARS: usize = 200;

macro_rules! strings {
    ($($(#[$doc:meta])* $field:ident = $key:literal,)*) => {
        /// Every string the widget shows, in one language. Build one with
        /// [`for_locales`] and adjust it with [`apply_overrides`].
        ///
        /// ```
        /// let (_, s) = pathlight::i18n::for_locales(&["ms-MY"]);
        /// assert_eq!(s.launcher, "Bantuan");
        /// assert_eq!(s.get("talkToPerson"), Some(&*s.talk_to_person));
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Strings {
            $($(#[$doc])* pub $field: Cow<'static, str>,)*
        }

        /// The config keys of the strings (`"strings": {"tr": {"launcher": ...}}`),
        /// in the order of [`Strings`]' fields.
        ///
        /// ```
        /// assert!(pathlight::i18n::KEYS.contains(&"nudgeHeading"));
        /// ```
        pub const KEYS: &[&str] = &[$($key),*];

        const N: usize = KEYS.len();

        impl Strings {
            fn from_table(t: &'static [&'static str; N]) -> Self {
                let [$($field),*] = t;
                Strings { $($field: Cow::Borrowed(*$field)),* }
            }

            fn slot(&mut self, key: &str) -> Option<&mut Cow<'static, str>> {
                match key {
                    $($key => Some(&mut self.$field),)*
                    _ => None,
                }
            }

            /// The string for a config key of [`KEYS`], `None` for others.
            ///
            /// ```
            /// let (_, s) = pathlight::i18n::for_locales(&["tr"]);
            /// assert_eq!(s.get("yes"), Some("Evet"));
            /// assert_eq!(s.get("yess"), None);
            /// ```
            pub fn get(&self, key: &str) -> Option<&str> {
                match key {
                    $($key => Some(&self.$field),)*
                    _ => None,
                }
            }
        }
    };
}

strings! {
    /// The launcher button: "Help".
    launcher = "launcher",
    /// The heading of a nudge: "Need a hand?".
    nudge_heading = "nudgeHeading",
    /// The heading of the open panel: "How can we help?".
    panel_heading = "panelHeading",
    /// The accessible name of the close button: "Close help".
    close = "close",
    /// Above the answers picked for the page: "Answers for this page:".
    page_answers = "pageAnswers",
    /// The accessible label of the search box: "Search help".
    search_label = "searchLabel",
    /// The search box's placeholder: "Search answers".
    search_placeholder = "searchPlaceholder",
    /// An empty search; `{query}` stands for what was typed (see
    /// [`Strings::no_results`]).
    no_results = "noResults",
    /// Back to the full list: "All answers".
    all_answers = "allAnswers",
    /// The link to an answer's page: "Read more".
    read_more = "readMore",
    /// The feedback question under an answer: "Was this helpful?".
    helpful = "helpful",
    /// The positive feedback button: "Yes".
    yes = "yes",
    /// The negative feedback button: "No".
    no = "no",
    /// Shown after feedback: "Thanks for your feedback!".
    feedback_thanks = "feedbackThanks",
    /// Opens the handoff form: "Talk to a person".
    talk_to_person = "talkToPerson",
    /// The handoff form's text box label: "What can we help you with?".
    handoff_label = "handoffLabel",
    /// The handoff form's submit button: "Send to a person".
    handoff_send = "handoffSend",
    /// After a handoff reached a person.
    handoff_sent = "handoffSent",
    /// After a handoff could not be delivered.
    handoff_failed = "handoffFailed",
    /// The badge on an answer that may be stale: "Possibly out of date".
    out_of_date = "outOfDate",
    /// Said politely (an `aria-live` region) before a nudge's message:
    /// "Help suggestion:".
    nudge_announcement = "nudgeAnnouncement",
    /// The handoff form's name field: "Your name".
    handoff_name = "handoffName",
    /// The handoff form's email field: "Email".
    handoff_email = "handoffEmail",
    /// The handoff form's phone field: "Phone number".
    handoff_phone = "handoffPhone",
    /// The handoff form's preferred-time field: "Best time to call (optional)".
    handoff_time = "handoffTime",
    /// The legend of the contact channel choice: "How should we reach you?".
    channel_legend = "channelLegend",
    /// The chat channel: "Chat here".
    channel_chat = "channelChat",
    /// The email channel: "Email me".
    channel_email = "channelEmail",
    /// The SMS channel: "Text me".
    channel_sms = "channelSms",
    /// The callback channel: "Call me back".
    channel_callback = "channelCallback",
    /// While the handoff is on its way: "Sending…".
    handoff_sending = "handoffSending",
    /// The queue position; `{position}` is the number (see
    /// [`Strings::queued`]).
    handoff_queued = "handoffQueued",
    /// The expected wait; `{minutes}` is the number (see [`Strings::wait`]).
    handoff_wait = "handoffWait",
    /// The team declined the request; `{reason}` is theirs (see
    /// [`Strings::rejected`]).
    handoff_rejected = "handoffRejected",
    /// Delivery is being retried: "We'll keep trying…".
    handoff_retrying = "handoffRetrying",
    /// The conversation opened in the company's chat tool.
    handoff_opened = "handoffOpened",
    /// Before the fallback email address: "Email us at".
    fallback_email = "fallbackEmail",
    /// Before the fallback phone number: "Call us at".
    fallback_phone = "fallbackPhone",
    /// The fallback contact form link: "Use our contact form".
    fallback_form = "fallbackForm",
    /// Back to the answers while waiting: "Keep reading answers".
    keep_reading = "keepReading",
    /// The built-in chat's heading: "Conversation".
    chat_heading = "chatHeading",
    /// The chat's message box label: "Write a message".
    chat_reply = "chatReply",
    /// The chat's send button: "Send".
    chat_send = "chatSend",
    /// Back to the chat from the answers: "Open the conversation".
    chat_open = "chatOpen",
    /// The agent closed the chat: "This conversation has ended.".
    chat_closed = "chatClosed",
    /// A visitor message that could not be sent.
    chat_not_sent = "chatNotSent",
    /// The visitor's own messages: "You".
    chat_you = "chatYou",
    /// An agent without a name: "Agent".
    chat_agent = "chatAgent",
}

impl Strings {
    /// The "no answers" message for `query` (every `{query}` replaced).
    ///
    /// ```
    /// let (_, s) = pathlight::i18n::for_locales(&["en"]);
    /// assert_eq!(s.no_results("refnd"), "No answers found for “refnd”");
    /// ```
    pub fn no_results(&self, query: &str) -> String {
        self.no_results.replace("{query}", query)
    }

    /// The queue position message.
    ///
    /// ```
    /// let (_, s) = pathlight::i18n::for_locales(&["en"]);
    /// assert_eq!(s.queued(3), "You're number 3 in the queue.");
    /// ```
    pub fn queued(&self, position: u32) -> String {
        self.handoff_queued
            .replace("{position}", &position.to_string())
    }

    /// The expected-wait message, in whole minutes (at least 1).
    ///
    /// ```
    /// let (_, s) = pathlight::i18n::for_locales(&["tr"]);
    /// assert_eq!(s.wait(90), "Tahmini bekleme süresi: yaklaşık 2 dakika.");
    /// ```
    pub fn wait(&self, seconds: u32) -> String {
        let minutes = seconds.div_ceil(60).max(1);
        self.handoff_wait.replace("{minutes}", &minutes.to_string())
    }

    /// The message for a declined handoff, with the team's reason.
    ///
    /// ```
    /// let (_, s) = pathlight::i18n::for_locales(&["en"]);
    /// assert_eq!(
    ///     s.rejected("We're closed today"),
    ///     "We couldn't take your request: We're closed today"
    /// );
    /// ```
    pub fn rejected(&self, reason: &str) -> String {
        self.handoff_rejected.replace("{reason}", reason)
    }
}

impl Default for Strings {
    /// The English strings.
    ///
    /// ```
    /// assert_eq!(pathlight::i18n::Strings::default().launcher, "Help");
    /// ```
    fn default() -> Self {
        Strings::from_table(&EN)
    }
}

/// A built-in language: its tags (the first is the one reported) and texts.
struct Table {
    tags: &'static [&'static str],
    texts: &'static [&'static str; N],
}

const EN: [&str; N] = [
    "Help",
    "Need a hand?",
    "How can we help?",
    "Close help",
    "Answers for this page:",
    "Search help",
    "Search answers",
    "No answers found for “{query}”",
    "All answers",
    "Read more",
    "Was this helpful?",
    "Yes",
    "No",
    "Thanks for your feedback!",
    "Talk to a person",
    "What can we help you with?",
    "Send to a person",
    "Thanks! A person from our team has your question and the pages you viewed, so you won't have to repeat yourself.",
    "Sorry, we couldn't reach a person just now. Your question is saved; please try again in a moment.",
    "Possibly out of date",
    "Help suggestion:",
    "Your name",
    "Email",
    "Phone number",
    "Best time to call (optional)",
    "How should we reach you?",
    "Chat here",
    "Email me",
    "Text me",
    "Call me back",
    "Sending…",
    "You're number {position} in the queue.",
    "Expected wait: about {minutes} min.",
    "We couldn't take your request: {reason}",
    "We'll keep trying to send it, even if you leave this page, and let you know here.",
    "Your conversation is open in our chat, with your question and the pages you viewed.",
    "Email us at",
    "Call us at",
    "Use our contact form",
    "Keep reading answers",
    "Conversation",
    "Write a message",
    "Send",
    "Open the conversation",
    "This conversation has ended.",
    "Not sent. Your message is back in the box; please try again.",
    "You",
    "Agent",
];

const TL: [&str; N] = [
    "Tulong",
    "Kailangan mo ba ng tulong?",
    "Paano ka namin matutulungan?",
    "Isara ang tulong",
    "Mga sagot para sa pahinang ito:",
    "Maghanap ng tulong",
    "Maghanap ng sagot",
    "Walang nakitang sagot para sa “{query}”",
    "Lahat ng sagot",
    "Magbasa pa",
    "Nakatulong ba ito?",
    "Oo",
    "Hindi",
    "Salamat sa iyong feedback!",
    "Makipag-usap sa isang tao",
    "Ano ang maitutulong namin sa iyo?",
    "Ipasa sa isang tao",
    "Salamat! Natanggap na ng isang kasama namin ang iyong tanong at ang mga pahinang binuksan mo, kaya hindi mo na kailangang ulitin pa.",
    "Paumanhin, hindi kami makakonekta sa isang tao ngayon. Naka-save ang iyong tanong; pakisubukang muli maya-maya.",
    "Maaaring luma na",
    "Mungkahing tulong:",
    "Ang pangalan mo",
    "Email",
    "Numero ng telepono",
    "Pinakamagandang oras para tumawag (opsyonal)",
    "Paano ka namin makakausap?",
    "Mag-chat dito",
    "I-email ako",
    "I-text ako",
    "Tawagan ako",
    "Ipinapadala…",
    "Ikaw ay pang-{position} sa pila.",
    "Tinatayang paghihintay: mga {minutes} minuto.",
    "Hindi namin matanggap ang iyong kahilingan: {reason}",
    "Patuloy naming susubukang ipadala ito, kahit umalis ka sa pahinang ito, at ipapaalam namin dito.",
    "Bukas na ang iyong usapan sa aming chat, kasama ang iyong tanong at ang mga pahinang binuksan mo.",
    "Mag-email sa amin sa",
    "Tawagan kami sa",
    "Gamitin ang aming contact form",
    "Magpatuloy sa pagbabasa ng mga sagot",
    "Usapan",
    "Sumulat ng mensahe",
    "Ipadala",
    "Buksan ang usapan",
    "Natapos na ang usapang ito.",
    "Hindi naipadala. Nasa kahon muli ang iyong mensahe; pakisubukang muli.",
    "Ikaw",
    "Ahente",
];

const BE: [&str; N] = [
    "Дапамога",
    "Патрэбна дапамога?",
    "Чым мы можам дапамагчы?",
    "Закрыць дапамогу",
    "Адказы для гэтай старонкі:",
    "Пошук у даведцы",
    "Шукаць адказ",
    "Па запыце «{query}» нічога не знойдзена",
    "Усе адказы",
    "Чытаць далей",
    "Ці дапамог гэты адказ?",
    "Так",
    "Не",
    "Дзякуй за водгук!",
    "Звязацца з чалавекам",
    "З чым вам дапамагчы?",
    "Адправіць супрацоўніку",
    "Дзякуй! Наш супрацоўнік ужо бачыць ваша пытанне і старонкі, якія вы праглядалі, таму нічога не давядзецца паўтараць.",
    "Прабачце, зараз не ўдалося звязацца з супрацоўнікам. Ваша пытанне захавана — паспрабуйце крыху пазней.",
    "Магчыма, неактуальна",
    "Падказка:",
    "Ваша імя",
    "Электронная пошта",
    "Нумар тэлефона",
    "Зручны час для званка (неабавязкова)",
    "Як з вамі звязацца?",
    "Чат тут",
    "Напішыце мне на пошту",
    "Дашліце SMS",
    "Патэлефануйце мне",
    "Адпраўляем…",
    "Ваш нумар у чарзе: {position}.",
    "Чаканне: каля {minutes} хв.",
    "Мы не можам прыняць запыт: {reason}",
    "Мы будзем спрабаваць адправіць яго, нават калі вы пакінеце старонку, і паведамім тут.",
    "Размова адкрыта ў нашым чаце разам з вашым пытаннем і старонкамі, якія вы праглядалі.",
    "Пішыце нам:",
    "Тэлефануйце нам:",
    "Форма зваротнай сувязі",
    "Чытаць адказы далей",
    "Размова",
    "Напішыце паведамленне",
    "Адправіць",
    "Адкрыць размову",
    "Гэтая размова завершана.",
    "Не адпраўлена. Паведамленне вернута ў поле — паспрабуйце яшчэ раз.",
    "Вы",
    "Супрацоўнік",
];

const TR: [&str; N] = [
    "Yardım",
    "Yardım ister misiniz?",
    "Size nasıl yardımcı olabiliriz?",
    "Yardımı kapat",
    "Bu sayfayla ilgili yanıtlar:",
    "Yardımda ara",
    "Yanıtlarda ara",
    "“{query}” için yanıt bulunamadı",
    "Tüm yanıtlar",
    "Devamını oku",
    "Bu yanıt işinize yaradı mı?",
    "Evet",
    "Hayır",
    "Geri bildiriminiz için teşekkürler!",
    "Bir temsilciyle görüşün",
    "Hangi konuda yardım istiyorsunuz?",
    "Temsilciye gönder",
    "Teşekkürler! Sorunuz ve baktığınız sayfalar ekibimizden birine iletildi; hiçbir şeyi yeniden anlatmanıza gerek kalmayacak.",
    "Üzgünüz, şu anda bir temsilciye ulaşamadık. Sorunuz kaydedildi; lütfen birazdan tekrar deneyin.",
    "Güncel olmayabilir",
    "Yardım önerisi:",
    "Adınız",
    "E-posta",
    "Telefon numarası",
    "Aramamız için uygun zaman (isteğe bağlı)",
    "Size nasıl ulaşalım?",
    "Buradan sohbet",
    "E-posta gönderin",
    "SMS gönderin",
    "Beni geri arayın",
    "Gönderiliyor…",
    "Sırada {position}. sıradasınız.",
    "Tahmini bekleme süresi: yaklaşık {minutes} dakika.",
    "İsteğinizi alamadık: {reason}",
    "Bu sayfadan ayrılsanız bile göndermeyi denemeye devam edeceğiz ve sonucu burada bildireceğiz.",
    "Görüşmeniz, sorunuz ve baktığınız sayfalarla birlikte sohbetimizde açıldı.",
    "Bize e-posta gönderin:",
    "Bizi arayın:",
    "İletişim formumuzu kullanın",
    "Yanıtları okumaya devam edin",
    "Görüşme",
    "Bir mesaj yazın",
    "Gönder",
    "Görüşmeyi aç",
    "Bu görüşme sona erdi.",
    "Gönderilemedi. Mesajınız kutuya geri kondu; lütfen tekrar deneyin.",
    "Siz",
    "Temsilci",
];

// Hebrew: plain ASCII quotes around the query (curly ones are not mirrored
// in right-to-left text), and wording that avoids addressing one gender.
const HE: [&str; N] = [
    "עזרה",
    "צריכים עזרה?",
    "איך נוכל לעזור?",
    "סגירת העזרה",
    "תשובות לדף הזה:",
    "חיפוש בעזרה",
    "חיפוש תשובות",
    "לא נמצאו תשובות עבור \"{query}\"",
    "כל התשובות",
    "לקריאה נוספת",
    "האם זה עזר?",
    "כן",
    "לא",
    "תודה על המשוב!",
    "שיחה עם נציג",
    "במה נוכל לעזור?",
    "שליחה לנציג",
    "תודה! נציג מהצוות שלנו קיבל את השאלה ואת רשימת הדפים שנצפו, כך שלא יהיה צורך לחזור על הדברים.",
    "מצטערים, לא הצלחנו להשיג נציג כרגע. השאלה נשמרה; אפשר לנסות שוב בעוד רגע.",
    "ייתכן שהמידע לא עדכני",
    "הצעה לעזרה:",
    "שם",
    "דוא״ל",
    "מספר טלפון",
    "זמן נוח לשיחה (לא חובה)",
    "איך ליצור קשר?",
    "צ׳אט כאן",
    "בדוא״ל",
    "בהודעת SMS",
    "שיחה חוזרת",
    "שולחים…",
    "המקום בתור: {position}.",
    "זמן המתנה משוער: כ-{minutes} דקות.",
    "לא הצלחנו לקבל את הפנייה: {reason}",
    "נמשיך לנסות לשלוח גם אם הדף ייסגר, ונעדכן כאן.",
    "השיחה נפתחה בצ׳אט שלנו, עם השאלה ורשימת הדפים שנצפו.",
    "אפשר לכתוב לנו אל",
    "אפשר להתקשר אלינו:",
    "לטופס יצירת הקשר",
    "להמשיך לקרוא תשובות",
    "שיחה",
    "כתיבת הודעה",
    "שליחה",
    "פתיחת השיחה",
    "השיחה הסתיימה.",
    "ההודעה לא נשלחה. היא הוחזרה לתיבה; אפשר לנסות שוב.",
    "אני",
    "נציג",
];

const MS: [&str; N] = [
    "Bantuan",
    "Perlukan bantuan?",
    "Apa yang boleh kami bantu?",
    "Tutup bantuan",
    "Jawapan untuk halaman ini:",
    "Cari bantuan",
    "Cari jawapan",
    "Tiada jawapan ditemui untuk “{query}”",
    "Semua jawapan",
    "Baca lagi",
    "Adakah ini membantu?",
    "Ya",
    "Tidak",
    "Terima kasih atas maklum balas anda!",
    "Bercakap dengan wakil kami",
    "Apakah pertanyaan anda?",
    "Hantar kepada wakil kami",
    "Terima kasih! Wakil pasukan kami sudah menerima soalan anda dan halaman yang anda lawati, jadi anda tidak perlu mengulanginya.",
    "Maaf, kami tidak dapat menghubungi wakil kami buat masa ini. Soalan anda telah disimpan; sila cuba lagi sebentar lagi.",
    "Mungkin tidak terkini",
    "Cadangan bantuan:",
    "Nama anda",
    "E-mel",
    "Nombor telefon",
    "Masa terbaik untuk menelefon (pilihan)",
    "Bagaimana kami boleh menghubungi anda?",
    "Sembang di sini",
    "E-mel saya",
    "Hantar SMS",
    "Telefon saya semula",
    "Menghantar…",
    "Anda nombor {position} dalam giliran.",
    "Anggaran masa menunggu: kira-kira {minutes} minit.",
    "Kami tidak dapat menerima permintaan anda: {reason}",
    "Kami akan terus cuba menghantarnya, walaupun anda meninggalkan halaman ini, dan memaklumkan anda di sini.",
    "Perbualan anda telah dibuka dalam sembang kami, bersama soalan anda dan halaman yang anda lawati.",
    "E-mel kami di",
    "Hubungi kami di",
    "Gunakan borang hubungan kami",
    "Teruskan membaca jawapan",
    "Perbualan",
    "Tulis mesej",
    "Hantar",
    "Buka perbualan",
    "Perbualan ini telah tamat.",
    "Tidak dihantar. Mesej anda dikembalikan ke kotak; sila cuba lagi.",
    "Anda",
    "Ejen",
];

static TABLES: [Table; 6] = [
    Table {
        tags: &["en"],
        texts: &EN,
    },
    Table {
        tags: &["tl", "fil"],
        texts: &TL,
    },
    Table {
        tags: &["be"],
        texts: &BE,
    },
    Table {
        tags: &["tr"],
        texts: &TR,
    },
    Table {
        tags: &["he", "iw"],
        texts: &HE,
    },
    Table {
        tags: &["ms"],
        texts: &MS,
    },
];

/// Every built-in language tag, aliases included (`fil` for Tagalog, the
/// legacy `iw` for Hebrew). These are the keys `"strings"` accepts.
///
/// ```
/// assert!(pathlight::i18n::LOCALES.contains(&"iw"));
/// ```
pub const LOCALES: &[&str] = &["en", "tl", "fil", "be", "tr", "he", "iw", "ms"];

fn table_for(tag: &str) -> Option<&'static Table> {
    TABLES
        .iter()
        .find(|t| t.tags.iter().any(|x| x.eq_ignore_ascii_case(tag)))
}

/// The built-in table for one preferred locale, tried along its fallback
/// chain (`he-IL-u-nu-latn` → `he-IL` → `he`).
fn table_for_chain(want: &str) -> Option<&'static Table> {
    let mut tag = want.trim();
    loop {
        if let Some(t) = table_for(tag) {
            return Some(t);
        }
        tag = &tag[..tag.rfind(['-', '_'])?];
    }
}

/// The strings for a visitor who prefers `locales` (most preferred first,
/// as in `navigator.languages`), and the built-in locale chosen. Each locale
/// is tried along its fallback chain (`he-IL` → `he`), ignoring case and
/// taking `_` as `-`; the first that matches wins, English when none does.
/// Aliases report their main tag: `fil` gives `tl`, `iw` gives `he`.
///
/// ```
/// use pathlight::i18n::for_locales;
/// assert_eq!(for_locales(&["fr-CA", "TR_tr"]).0, "tr");
/// assert_eq!(for_locales(&["iw"]).1.yes, "כן");
/// assert_eq!(for_locales(&["fil-PH"]).0, "tl");
/// assert_eq!(for_locales(&["de"]).0, "en");
/// ```
pub fn for_locales(locales: &[&str]) -> (&'static str, Strings) {
    let t = locales
        .iter()
        .find_map(|l| table_for_chain(l))
        .unwrap_or(&TABLES[0]);
    (t.tags[0], Strings::from_table(t.texts))
}

/// Languages written right to left by default.
const RTL_LANGUAGES: &[&str] = &[
    "he", "iw", "ar", "fa", "ur", "yi", "ji", "ps", "sd", "ug", "dv", "ckb", "ks", "syr",
];

/// Right-to-left scripts (ISO 15924) that a script subtag may name.
const RTL_SCRIPTS: &[&str] = &[
    "arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand", "samr",
];

/// Is `locale` written right to left? A script subtag decides when there is
/// one (`az-Arab` is, `ug-Cyrl` is not); otherwise the language does
/// (`he-IL`, `ar_EG`, `ckb`). Case does not matter.
///
/// ```
/// use pathlight::i18n::is_rtl;
/// assert!(is_rtl("he-IL"));
/// assert!(is_rtl("az-Arab"));
/// assert!(!is_rtl("sd-Deva-IN"));
/// assert!(!is_rtl("en"));
/// ```
pub fn is_rtl(locale: &str) -> bool {
    let mut parts = locale.trim().split(['-', '_']);
    let lang = parts.next().unwrap_or("");
    for p in parts {
        if p.len() == 1 {
            break; // an extension or private use: no script after this
        }
        if p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()) {
            return RTL_SCRIPTS.iter().any(|s| s.eq_ignore_ascii_case(p));
        }
    }
    RTL_LANGUAGES.iter().any(|l| l.eq_ignore_ascii_case(lang))
}

/// Apply one language's overrides (`overrides` is the object under
/// `"strings"`/`"he"`, found at `path`) to `strings`. Every problem is
/// reported with its JSON Pointer: unknown keys (with a "did you mean"
/// hint), values that are not strings, empty, or longer than [`MAX_CHARS`].
/// Valid keys are applied even when others are wrong.
///
/// ```
/// use pathlight::i18n::{apply_overrides, for_locales};
/// use pathlight::validate::Path;
/// use serde_json::json;
///
/// let (_, mut s) = for_locales(&["he"]);
/// let root = Path::Root;
/// let strings = Path::Key(&root, "strings");
/// let he = Path::Key(&strings, "he");
/// let problems = apply_overrides(&mut s, &json!({"launcher": "שאלות?", "talkToPeson": "x"}), &he);
/// assert_eq!(s.launcher, "שאלות?");
/// assert_eq!(problems.to_string(),
///     "/strings/he/talkToPeson: unknown key `talkToPeson` (did you mean `talkToPerson`?)");
/// ```
pub fn apply_overrides(strings: &mut Strings, overrides: &Value, path: &Path) -> Problems {
    let mut r = Reader::new();
    apply(&mut r, strings, overrides, path);
    r.finish(()).err().unwrap_or_default()
}

fn apply(r: &mut Reader, strings: &mut Strings, overrides: &Value, path: &Path) {
    let Some(map) = r.object(path, overrides) else {
        return;
    };
    r.unknown_keys(path, map, KEYS);
    for (key, value) in map {
        let Some(slot) = strings.slot(key) else {
            continue;
        };
        let at = Path::Key(path, key);
        match r.opt_string(&at, Some(value), MAX_CHARS) {
            Some(s) if s.trim().is_empty() => r.problem(&at, "must not be empty"),
            Some(s) => *slot = Cow::Owned(s),
            None => {}
        }
    }
}

/// Check a whole `"strings"` section (at `path`): an object whose keys are
/// built-in languages ([`LOCALES`], any case) and whose values are
/// overrides as [`apply_overrides`] reads them. Strings for a language
/// without built-in strings could never be shown, so they are an error.
///
/// ```
/// use pathlight::i18n::check_strings;
/// use pathlight::validate::Path;
/// use serde_json::json;
///
/// let root = Path::Root;
/// let at = Path::Key(&root, "strings");
/// assert!(check_strings(&json!({"he": {"launcher": "עזרה"}, "MS": {"yes": "Ya"}}), &at).is_empty());
/// assert_eq!(check_strings(&json!({"he-IL": {}}), &at).to_string(),
///     "/strings/he-IL: no built-in strings for `he-IL` (strings are per language: use `he`)");
/// ```
pub fn check_strings(section: &Value, path: &Path) -> Problems {
    let mut r = Reader::new();
    if let Some(map) = r.object(path, section) {
        for (tag, overrides) in map {
            let at = Path::Key(path, tag);
            if table_for(tag).is_some() {
                let mut scratch = Strings::default();
                apply(&mut r, &mut scratch, overrides, &at);
                continue;
            }
            let message = format!("no built-in strings for `{tag}`");
            let hint = match table_for_chain(tag) {
                Some(t) => format!("strings are per language: use `{}`", t.tags[0]),
                // No "did you mean" here: a near tag (`hr`, `tr`) is usually
                // another language, not a typo.
                None => format!("built-in languages: {}", LOCALES.join(", ")),
            };
            r.problem_hint(&at, message, hint);
        }
    }
    r.finish(()).err().unwrap_or_default()
}

/// [`for_locales`], then the overrides of a `"strings"` section for the
/// chosen language (both `he` and `iw` apply to Hebrew; keys are matched
/// ignoring case). Invalid entries are skipped: check the section with
/// [`check_strings`] when the config is loaded.
///
/// ```
/// use pathlight::i18n::localize;
/// use serde_json::json;
///
/// let section = json!({"iw": {"launcher": "שאלות?"}, "en": {"launcher": "Questions?"}});
/// let (locale, s) = localize(&["he-IL"], Some(&section));
/// assert_eq!((locale, &*s.launcher, &*s.yes), ("he", "שאלות?", "כן"));
/// assert_eq!(localize(&["fr"], Some(&section)).1.launcher, "Questions?");
/// ```
pub fn localize(locales: &[&str], section: Option<&Value>) -> (&'static str, Strings) {
    let (locale, mut strings) = for_locales(locales);
    if let Some(Value::Object(map)) = section {
        let mut r = Reader::new();
        for (tag, overrides) in map {
            if table_for(tag).is_some_and(|t| t.tags[0] == locale) {
                apply(&mut r, &mut strings, overrides, &Path::Root);
            }
        }
    }
    (locale, strings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Strings that may equal English in a translation (proper nouns, or
    /// words languages share): Tagalog says "Email" too.
    const SAME_AS_ENGLISH: &[(&str, &str)] = &[("tl", "handoffEmail")];

    /// The object in `v` that lists the string keys (it holds `launcher`).
    fn string_keys(v: &Value) -> Option<Vec<String>> {
        match v {
            Value::Object(m) if m.contains_key("launcher") && m.contains_key("yes") => {
                Some(m.keys().cloned().collect())
            }
            Value::Object(m) => m.values().find_map(string_keys),
            _ => None,
        }
    }

    #[test]
    fn the_config_schema_lists_every_string() {
        let schema: Value =
            serde_json::from_str(include_str!("../schema/config.v1.schema.json")).unwrap();
        let mut listed = string_keys(&schema).unwrap();
        let mut keys: Vec<String> = KEYS.iter().map(|k| k.to_string()).collect();
        listed.sort();
        keys.sort();
        assert_eq!(listed, keys);
    }

    #[test]
    fn every_locale_has_every_string() {
        let en = Strings::default();
        for tag in LOCALES {
            let (chosen, s) = for_locales(&[tag]);
            for key in KEYS {
                let text = s.get(key).unwrap();
                assert!(!text.trim().is_empty(), "{tag}.{key} is empty");
                assert!(text.chars().count() <= MAX_CHARS, "{tag}.{key} too long");
                if chosen != "en" && !SAME_AS_ENGLISH.contains(&(chosen, *key)) {
                    assert_ne!(text, en.get(key).unwrap(), "{tag}.{key} is English");
                }
            }
            assert!(s.no_results.contains("{query}"), "{tag}.noResults");
            assert!(!s.no_results("xyz").contains("{query}"));
            assert!(s.queued(7).contains('7'), "{tag}.handoffQueued");
            assert!(s.wait(600).contains("10"), "{tag}.handoffWait");
            assert!(
                s.rejected("Closed").contains("Closed"),
                "{tag}.handoffRejected"
            );
        }
    }

    #[test]
    fn tables_cover_locales_and_keys() {
        assert_eq!(KEYS.len(), N);
        let tags: Vec<&str> = TABLES.iter().flat_map(|t| t.tags.iter().copied()).collect();
        assert_eq!(tags, LOCALES);
        let mut keys = KEYS.to_vec();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), N, "duplicate key");
        // The field order and KEYS agree: each key reads its own English text.
        let en = Strings::default();
        assert_eq!(en.get("launcher"), Some("Help"));
        assert_eq!(en.get("talkToPerson"), Some("Talk to a person"));
        assert_eq!(en.get("nudgeAnnouncement"), Some("Help suggestion:"));
        assert_eq!(&*en.handoff_failed, EN[18]);
    }

    #[test]
    fn fallback_chain() {
        let cases: &[(&[&str], &str)] = &[
            (&[], "en"),
            (&[""], "en"),
            (&["he-IL"], "he"),
            (&["HE_il"], "he"),
            (&["iw"], "he"),
            (&["iw-IL"], "he"),
            (&["fil"], "tl"),
            (&["tl-PH"], "tl"),
            (&["be-BY"], "be"),
            (&["tr-TR"], "tr"),
            (&["ms-Latn-MY"], "ms"),
            (&["zh-Hant-TW", "ms"], "ms"),
            (&["en-GB", "he"], "en"),
            (&["fr", "de-AT", "be"], "be"),
            (&["fr", "de"], "en"),
            (&["heb"], "en"),
            (&["t"], "en"),
            (&["-he"], "en"),
        ];
        for (locales, want) in cases {
            assert_eq!(for_locales(locales).0, *want, "{locales:?}");
        }
        assert_eq!(for_locales(&["he-IL"]).1.close, "סגירת העזרה");
    }

    #[test]
    fn rtl_table() {
        let rtl = [
            "he",
            "iw",
            "he-IL",
            "HE_il",
            "ar",
            "ar-EG",
            "fa-IR",
            "ur",
            "yi",
            "ps",
            "sd",
            "ug",
            "dv",
            "ckb",
            "ckb-IQ",
            "az-Arab",
            "pa-Arab-PK",
            "uz-arab",
            "ku-Arab",
            "ug-Arab-CN",
        ];
        let ltr = [
            "",
            "en",
            "en-US",
            "tr",
            "ms",
            "be",
            "tl",
            "az",
            "az-Latn",
            "ug-Cyrl",
            "sd-Deva",
            "ar-Latn",
            "heb",
            "ara",
            "en-x-arab",
            "arz-",
        ];
        for l in rtl {
            assert!(is_rtl(l), "{l} should be rtl");
        }
        for l in ltr {
            assert!(!is_rtl(l), "{l} should be ltr");
        }
    }

    fn problems(overrides: serde_json::Value) -> (Strings, Vec<(String, String, Option<String>)>) {
        let (_, mut s) = for_locales(&["he"]);
        let root = Path::Root;
        let strings = Path::Key(&root, "strings");
        let he = Path::Key(&strings, "he");
        let p = apply_overrides(&mut s, &overrides, &he);
        let list =
            p.0.into_iter()
                .map(|p| (p.path, p.message, p.hint))
                .collect();
        (s, list)
    }

    #[test]
    fn overrides_apply_and_report() {
        let long = "א".repeat(MAX_CHARS + 1);
        let (s, got) = problems(json!({
            "launcher": "שאלות?",
            "lancher": "x",
            "NudgeHeading": "x",
            "colour": "x",
            "yes": 1,
            "no": "  ",
            "readMore": long,
            "outOfDate": "א".repeat(MAX_CHARS),
        }));
        assert_eq!(s.launcher, "שאלות?");
        assert_eq!(s.out_of_date.chars().count(), MAX_CHARS);
        assert_eq!(s.yes, "כן");
        assert_eq!(s.no, "לא");
        assert_eq!(s.read_more, "לקריאה נוספת");
        let hint = |h: &str| Some(h.to_string());
        let want = vec![
            (
                "/strings/he/NudgeHeading".into(),
                "unknown key `NudgeHeading`".into(),
                hint("did you mean `nudgeHeading`?"),
            ),
            (
                "/strings/he/colour".into(),
                "unknown key `colour`".into(),
                Some(format!("allowed keys: {}", KEYS.join(", "))),
            ),
            (
                "/strings/he/lancher".into(),
                "unknown key `lancher`".into(),
                hint("did you mean `launcher`?"),
            ),
            ("/strings/he/no".into(), "must not be empty".into(), None),
            (
                "/strings/he/readMore".into(),
                "is too long: at most 200 characters".into(),
                None,
            ),
            (
                "/strings/he/yes".into(),
                "expected a string, got a number".into(),
                None,
            ),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn overrides_must_be_an_object() {
        let (_, got) = problems(json!(["launcher"]));
        assert_eq!(
            got,
            vec![(
                "/strings/he".into(),
                "expected an object, got an array".into(),
                None
            )]
        );
        assert!(problems(json!({})).1.is_empty());
    }

    #[test]
    fn section_checks_languages() {
        let root = Path::Root;
        let at = Path::Key(&root, "strings");
        let p = check_strings(
            &json!({"he": {"lancher": "x"}, "fil": {}, "EN": {}, "tr-TR": {}, "hr": {}, "fr": {}}),
            &at,
        );
        let got: Vec<String> = p
            .iter()
            .map(|p| format!("{} {:?}", p.path, p.hint))
            .collect();
        assert_eq!(
            got,
            [
                "/strings/fr Some(\"built-in languages: en, tl, fil, be, tr, he, iw, ms\")",
                "/strings/he/lancher Some(\"did you mean `launcher`?\")",
                "/strings/hr Some(\"built-in languages: en, tl, fil, be, tr, he, iw, ms\")",
                "/strings/tr-TR Some(\"strings are per language: use `tr`\")",
            ]
        );
        assert_eq!(
            check_strings(&json!("he"), &at).to_string(),
            "/strings: expected an object, got a string"
        );
    }

    #[test]
    fn localize_applies_the_chosen_language_only() {
        let section = json!({
            "he": {"yes": "בטח"},
            "iw": {"launcher": "שאלות?"},
            "tr": {"launcher": "Sorular?"},
            "EN": {"launcher": "Questions?", "bogus": 1, "no": ""}
        });
        let (l, s) = localize(&["he-IL"], Some(&section));
        assert_eq!((l, &*s.launcher, &*s.yes), ("he", "שאלות?", "בטח"));
        let (l, s) = localize(&["de"], Some(&section));
        assert_eq!((l, &*s.launcher, &*s.no), ("en", "Questions?", "No"));
        assert_eq!(localize(&["ms"], Some(&section)).1.launcher, "Bantuan");
        assert_eq!(localize(&["ms"], None).1, for_locales(&["ms"]).1);
    }
}
