//! Colours a product team sets for the widget, corrected to WCAG AA
//! contrast: a brand colour too light for white text is darkened along its
//! own hue until it reads, instead of being refused.
//!
//! ```
//! use pathlight::theme::{contrast, ensure_contrast, Rgb};
//!
//! let brand = Rgb::parse("#7fb3ff").unwrap();
//! let text = ensure_contrast(brand, Rgb::WHITE, 4.5);
//! assert!(contrast(text, Rgb::WHITE) >= 4.5);
//! assert_eq!(text.to_css(), "#5578ab");
//! ```

/// An opaque sRGB colour.
///
/// ```
/// let c = pathlight::theme::Rgb { r: 26, g: 115, b: 232 };
/// assert_eq!(c.to_css(), "#1a73e8");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    /// Red, 0 to 255.
    pub r: u8,
    /// Green, 0 to 255.
    pub g: u8,
    /// Blue, 0 to 255.
    pub b: u8,
}

const NAMED: &[(&str, Rgb)] = &[
    ("black", Rgb::BLACK),
    ("white", Rgb::WHITE),
    ("red", Rgb::new(255, 0, 0)),
    ("green", Rgb::new(0, 128, 0)),
    ("blue", Rgb::new(0, 0, 255)),
    ("navy", Rgb::new(0, 0, 128)),
    ("teal", Rgb::new(0, 128, 128)),
    ("purple", Rgb::new(128, 0, 128)),
    ("orange", Rgb::new(255, 165, 0)),
    ("gray", Rgb::new(128, 128, 128)),
    ("grey", Rgb::new(128, 128, 128)),
];

const RGB_VALUES: &str = "rgb() values are whole numbers from 0 to 255";
const RGB_COUNT: &str = "rgb() takes three numbers, like rgb(26, 115, 232)";

impl Rgb {
    /// Black, `#000000`.
    ///
    /// ```
    /// assert_eq!(pathlight::theme::Rgb::BLACK.to_css(), "#000000");
    /// ```
    pub const BLACK: Rgb = Rgb::new(0, 0, 0);
    /// White, `#ffffff`.
    ///
    /// ```
    /// assert_eq!(pathlight::theme::Rgb::WHITE.to_css(), "#ffffff");
    /// ```
    pub const WHITE: Rgb = Rgb::new(255, 255, 255);

    /// A colour from its channels.
    ///
    /// ```
    /// assert_eq!(pathlight::theme::Rgb::new(255, 0, 0).to_css(), "#ff0000");
    /// ```
    pub const fn new(r: u8, g: u8, b: u8) -> Self {
        Rgb { r, g, b }
    }

    /// Parse a CSS colour as teams write it: `#rgb`, `#rrggbb`,
    /// `rgb(r, g, b)`, `rgb(r g b)`, or one of black, white, red, green,
    /// blue, navy, teal, purple, orange, gray (grey). Case and surrounding
    /// spaces do not matter. The error is a plain message for a person.
    ///
    /// ```
    /// use pathlight::theme::Rgb;
    /// assert_eq!(Rgb::parse("#1A73E8"), Ok(Rgb::new(26, 115, 232)));
    /// assert_eq!(Rgb::parse("rgb(26 115 232)"), Ok(Rgb::new(26, 115, 232)));
    /// assert_eq!(Rgb::parse("Teal"), Ok(Rgb::new(0, 128, 128)));
    /// assert!(Rgb::parse("#12").is_err());
    /// ```
    pub fn parse(css: &str) -> Result<Rgb, &'static str> {
        let s = css.trim();
        if s.is_empty() {
            return Err("is empty: write a colour like #1a73e8");
        }
        if let Some(hex) = s.strip_prefix('#') {
            return parse_hex(hex);
        }
        let lower = s.to_ascii_lowercase();
        if let Some(args) = lower.strip_prefix("rgb(") {
            return parse_rgb(args);
        }
        if lower.starts_with("rgba(") {
            return Err("transparent colours are not supported: use rgb(r, g, b)");
        }
        NAMED
            .iter()
            .find(|(name, _)| *name == lower)
            .map(|(_, c)| *c)
            .ok_or("unknown colour: use #rrggbb, rgb(r, g, b) or a basic colour name")
    }

    /// The colour as CSS, `#rrggbb` in lower case.
    ///
    /// ```
    /// assert_eq!(pathlight::theme::Rgb::new(0, 128, 255).to_css(), "#0080ff");
    /// ```
    pub fn to_css(self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(7);
        out.push('#');
        for c in [self.r, self.g, self.b] {
            out.push(HEX[usize::from(c >> 4)] as char);
            out.push(HEX[usize::from(c & 15)] as char);
        }
        out
    }

    /// WCAG 2.x relative luminance, 0 (black) to 1 (white).
    ///
    /// ```
    /// use pathlight::theme::Rgb;
    /// assert_eq!(Rgb::WHITE.luminance(), 1.0);
    /// assert_eq!(Rgb::BLACK.luminance(), 0.0);
    /// ```
    pub fn luminance(self) -> f64 {
        fn linear(c: u8) -> f64 {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// This colour moved a fraction `t` (0 to 1) of the way to `to`.
    fn towards(self, to: Rgb, t: f64) -> Rgb {
        let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb::new(mix(self.r, to.r), mix(self.g, to.g), mix(self.b, to.b))
    }

    fn distance(self, other: Rgb) -> u32 {
        let d = |a: u8, b: u8| u32::from(a.abs_diff(b));
        d(self.r, other.r) + d(self.g, other.g) + d(self.b, other.b)
    }
}

fn parse_hex(hex: &str) -> Result<Rgb, &'static str> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("is not a hex colour: use the digits 0-9 and a-f, like #1a73e8");
    }
    let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).unwrap_or(0);
    match hex.len() {
        3 => Ok(Rgb::new(digit(0) * 17, digit(1) * 17, digit(2) * 17)),
        6 => Ok(Rgb::new(
            digit(0) * 16 + digit(1),
            digit(2) * 16 + digit(3),
            digit(4) * 16 + digit(5),
        )),
        4 | 8 => Err("transparent colours are not supported: use #rgb or #rrggbb"),
        _ => Err("a hex colour has 3 or 6 digits, like #1a73e8"),
    }
}

fn parse_rgb(args: &str) -> Result<Rgb, &'static str> {
    let Some(args) = args.strip_suffix(')') else {
        return Err("rgb( is missing its closing parenthesis");
    };
    let sep = if args.contains(',') { ',' } else { ' ' };
    let mut channels = [0u8; 3];
    let mut n = 0;
    for part in args.split(sep).map(str::trim).filter(|p| !p.is_empty()) {
        if part.contains('/') {
            return Err("transparent colours are not supported: use rgb(r, g, b)");
        }
        let slot = channels.get_mut(n).ok_or(RGB_COUNT)?;
        *slot = part.parse().map_err(|_| RGB_VALUES)?;
        n += 1;
    }
    if n == 3 {
        Ok(Rgb::new(channels[0], channels[1], channels[2]))
    } else {
        Err(RGB_COUNT)
    }
}

/// The WCAG 2.x contrast ratio of two colours, from 1 (none) to 21 (black
/// on white); the order does not matter. AA asks for 4.5 for body text and
/// 3 for large text and controls.
///
/// ```
/// use pathlight::theme::{contrast, Rgb};
/// assert_eq!(contrast(Rgb::BLACK, Rgb::WHITE), 21.0);
/// assert!((contrast(Rgb::parse("#777").unwrap(), Rgb::WHITE) - 4.48).abs() < 0.01);
/// ```
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` itself when it already has a contrast of at least `min` against
/// `bg`; otherwise the nearest colour of the same hue, mixed towards black
/// or towards white (whichever needs the smaller change), that has. When
/// neither can reach `min`, black or white, whichever contrasts more.
///
/// ```
/// use pathlight::theme::{contrast, ensure_contrast, Rgb};
/// let orange = Rgb::parse("orange").unwrap();
/// let on_white = ensure_contrast(orange, Rgb::WHITE, 4.5);
/// assert!(contrast(on_white, Rgb::WHITE) >= 4.5);
/// assert_eq!(ensure_contrast(orange, Rgb::BLACK, 4.5), orange);
/// ```
pub fn ensure_contrast(fg: Rgb, bg: Rgb, min: f64) -> Rgb {
    if contrast(fg, bg) >= min {
        return fg;
    }
    let reach = |end: Rgb| -> Option<Rgb> {
        if contrast(end, bg) < min {
            return None;
        }
        // Contrast grows monotonically along the path once it has passed
        // the background's luminance, so bisect on the mix; `hi` always
        // meets `min`.
        let (mut lo, mut hi) = (0.0, 1.0);
        for _ in 0..20 {
            let mid = (lo + hi) / 2.0;
            if contrast(fg.towards(end, mid), bg) >= min {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(fg.towards(end, hi))
    };
    match (reach(Rgb::BLACK), reach(Rgb::WHITE)) {
        (Some(d), Some(l)) if l.distance(fg) < d.distance(fg) => l,
        (Some(d), _) => d,
        (None, Some(l)) => l,
        (None, None) => text_on(bg),
    }
}

/// Black or white, whichever reads better as text on `bg`.
///
/// ```
/// use pathlight::theme::{text_on, Rgb};
/// assert_eq!(text_on(Rgb::parse("navy").unwrap()), Rgb::WHITE);
/// assert_eq!(text_on(Rgb::parse("orange").unwrap()), Rgb::BLACK);
/// ```
pub fn text_on(bg: Rgb) -> Rgb {
    if contrast(Rgb::BLACK, bg) >= contrast(Rgb::WHITE, bg) {
        Rgb::BLACK
    } else {
        Rgb::WHITE
    }
}

/// The widget card's background in the light palette.
pub const LIGHT_CARD: Rgb = Rgb::WHITE;

/// The widget card's background in the dark palette (`prefers-color-scheme:
/// dark`); `--bg` in the widget's stylesheet.
pub const DARK_CARD: Rgb = Rgb::new(0x1c, 0x21, 0x28);

/// A team's accent made readable in both of the widget's palettes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accents {
    /// The accent on the light card (links, outlines, button fills).
    pub light: Rgb,
    /// Text on a `light` fill (the launcher, the send button).
    pub light_text: Rgb,
    /// The accent on the dark card.
    pub dark: Rgb,
    /// Text on a `dark` fill.
    pub dark_text: Rgb,
}

/// The accent for each palette: moved just enough along its own hue to
/// reach 4.5:1 against [`LIGHT_CARD`] and against [`DARK_CARD`], with black
/// or white text on each. A dark brand colour is lightened for dark mode
/// rather than left unreadable on the dark card.
///
/// ```
/// use pathlight::theme::{accents, contrast, Rgb, DARK_CARD, LIGHT_CARD};
/// let a = accents(Rgb::parse("navy").unwrap());
/// assert_eq!(a.light, Rgb::parse("navy").unwrap());
/// assert!(contrast(a.dark, DARK_CARD) >= 4.5);
/// assert!(contrast(a.light, LIGHT_CARD) >= 4.5);
/// ```
pub fn accents(accent: Rgb) -> Accents {
    let light = ensure_contrast(accent, LIGHT_CARD, 4.5);
    let dark = ensure_contrast(accent, DARK_CARD, 4.5);
    Accents {
        light,
        light_text: text_on(light),
        dark,
        dark_text: text_on(dark),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Rgb {
        Rgb::parse(s).unwrap()
    }

    /// Hue in degrees, or None for greys.
    fn hue(c: Rgb) -> Option<f64> {
        let (r, g, b) = (f64::from(c.r), f64::from(c.g), f64::from(c.b));
        let max = r.max(g).max(b);
        let d = max - r.min(g).min(b);
        if d == 0.0 {
            return None;
        }
        let h = if max == r {
            ((g - b) / d).rem_euclid(6.0)
        } else if max == g {
            (b - r) / d + 2.0
        } else {
            (r - g) / d + 4.0
        };
        Some(h * 60.0)
    }

    #[test]
    fn known_ratios() {
        let cases = [
            ("white", "black", 21.0),
            ("#fff", "#fff", 1.0),
            ("#777", "white", 4.478),
            ("#767676", "white", 4.542),
            ("#1a73e8", "white", 4.506),
            ("red", "white", 3.998),
            ("navy", "white", 16.0),
        ];
        for (a, b, want) in cases {
            let got = contrast(c(a), c(b));
            assert!((got - want).abs() < 0.01, "{a} on {b}: {got}");
            assert_eq!(got, contrast(c(b), c(a)));
        }
    }

    #[test]
    fn corrections_meet_aa_and_keep_hue() {
        let cases = [
            ("#777", "white", "darker"),
            ("orange", "white", "darker"),
            ("#7fb3ff", "white", "darker"),
            ("#ffcc00", "#fffbe6", "darker"),
            ("teal", "#003333", "lighter"),
            ("#555", "black", "lighter"),
            ("navy", "black", "lighter"),
            ("purple", "#202020", "lighter"),
            ("#1a73e8", "#1a73e8", "darker"),
            ("red", "red", "darker"),
        ];
        for (fg, bg, way) in cases {
            let (fg, bg) = (c(fg), c(bg));
            let got = ensure_contrast(fg, bg, 4.5);
            assert!(contrast(got, bg) >= 4.5, "{fg:?} on {bg:?}: {got:?}");
            assert_ne!(got, fg);
            let lighter = got.luminance() > fg.luminance();
            assert_eq!(lighter, way == "lighter", "{fg:?} on {bg:?}: {got:?}");
            match (hue(fg), hue(got)) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 4.0, "{fg:?} -> {got:?}"),
                (None, h) => assert_eq!(h, None, "a grey stays grey"),
                (Some(_), None) => panic!("{fg:?} lost its hue: {got:?}"),
            }
            // The nearest: a slightly smaller mix would not do.
            let end = if lighter { Rgb::WHITE } else { Rgb::BLACK };
            let t = (1..=100)
                .map(|i| f64::from(i) / 100.0)
                .find(|t| contrast(fg.towards(end, *t), bg) >= 4.5)
                .unwrap();
            assert!(
                got.distance(fg) <= fg.towards(end, t).distance(fg),
                "{got:?}"
            );
        }
    }

    #[test]
    fn corrections_leave_good_colours_and_give_up_gracefully() {
        assert_eq!(ensure_contrast(c("navy"), Rgb::WHITE, 4.5), c("navy"));
        assert_eq!(ensure_contrast(c("#777"), Rgb::WHITE, 4.4), c("#777"));
        assert_eq!(ensure_contrast(c("#777"), Rgb::WHITE, 1.0), c("#777"));
        // 7:1 cannot be reached on mid grey either way: best of black/white.
        let mid = c("#777");
        assert_eq!(ensure_contrast(c("red"), mid, 7.0), Rgb::BLACK);
        assert_eq!(ensure_contrast(c("red"), mid, 22.0), text_on(mid));
    }

    #[test]
    fn text_on_backgrounds() {
        for (bg, want) in [
            ("white", "black"),
            ("black", "white"),
            ("navy", "white"),
            // WCAG 2 maths: 4.66 for black against 4.51 for white.
            ("#1a73e8", "black"),
            ("#0b57d0", "white"),
            ("orange", "black"),
            ("#777", "black"),
            ("#ffcc00", "black"),
            ("purple", "white"),
        ] {
            assert_eq!(text_on(c(bg)), c(want), "{bg}");
        }
    }

    #[test]
    fn parsing() {
        let ok = [
            ("#000", (0, 0, 0)),
            ("#fFf", (255, 255, 255)),
            ("#1a73e8", (26, 115, 232)),
            ("  #1A73E8 ", (26, 115, 232)),
            ("#abc", (170, 187, 204)),
            ("rgb(26, 115, 232)", (26, 115, 232)),
            ("RGB(26,115,232)", (26, 115, 232)),
            ("rgb(26 115 232)", (26, 115, 232)),
            ("rgb( 0 ,  0 , 255 )", (0, 0, 255)),
            ("rgb(0  0   0)", (0, 0, 0)),
            ("Navy", (0, 0, 128)),
            ("GREY", (128, 128, 128)),
            ("gray", (128, 128, 128)),
            ("orange", (255, 165, 0)),
            ("green", (0, 128, 0)),
        ];
        for (s, (r, g, b)) in ok {
            assert_eq!(Rgb::parse(s), Ok(Rgb::new(r, g, b)), "{s}");
        }
        let err = [
            ("", "is empty: write a colour like #1a73e8"),
            ("   ", "is empty: write a colour like #1a73e8"),
            ("#", "a hex colour has 3 or 6 digits, like #1a73e8"),
            ("#12", "a hex colour has 3 or 6 digits, like #1a73e8"),
            ("#12345", "a hex colour has 3 or 6 digits, like #1a73e8"),
            (
                "#1234",
                "transparent colours are not supported: use #rgb or #rrggbb",
            ),
            (
                "#1a73e8ff",
                "transparent colours are not supported: use #rgb or #rrggbb",
            ),
            (
                "#ggg",
                "is not a hex colour: use the digits 0-9 and a-f, like #1a73e8",
            ),
            (
                "#1a73é8",
                "is not a hex colour: use the digits 0-9 and a-f, like #1a73e8",
            ),
            ("rgb(1, 2, 256)", RGB_VALUES),
            ("rgb(-1, 2, 3)", RGB_VALUES),
            ("rgb(1.5, 2, 3)", RGB_VALUES),
            ("rgb(10%, 2, 3)", RGB_VALUES),
            ("rgb(1, 2, 3, 4)", RGB_COUNT),
            ("rgb(1, 2)", RGB_COUNT),
            ("rgb()", RGB_COUNT),
            ("rgb(1, 2, 3", "rgb( is missing its closing parenthesis"),
            (
                "rgb(1 2 3 / 50%)",
                "transparent colours are not supported: use rgb(r, g, b)",
            ),
            (
                "rgba(1, 2, 3, 0.5)",
                "transparent colours are not supported: use rgb(r, g, b)",
            ),
            (
                "hsl(0, 0%, 0%)",
                "unknown colour: use #rrggbb, rgb(r, g, b) or a basic colour name",
            ),
            (
                "blurple",
                "unknown colour: use #rrggbb, rgb(r, g, b) or a basic colour name",
            ),
        ];
        for (s, want) in err {
            assert_eq!(Rgb::parse(s), Err(want), "{s:?}");
        }
    }

    #[test]
    fn css_round_trips() {
        for s in ["#000000", "#ffffff", "#1a73e8", "#0080ff", "#fe0a09"] {
            assert_eq!(c(s).to_css(), s);
        }
        assert_eq!(c("#ABC").to_css(), "#aabbcc");
    }

    #[test]
    fn accents_read_on_both_cards() {
        let mut samples: Vec<Rgb> = [
            "navy", "#1f5eff", "#0b57d0", "purple", "teal", "black", "white", "#ffd60a", "red",
            "#777", "#1c2128", "orange",
        ]
        .iter()
        .map(|s| c(s))
        .collect();
        for r in (0..=255).step_by(51) {
            for g in (0..=255).step_by(51) {
                for b in (0..=255).step_by(51) {
                    samples.push(Rgb::new(r, g, b));
                }
            }
        }
        for accent in samples {
            let a = accents(accent);
            assert!(contrast(a.light, LIGHT_CARD) >= 4.5, "{accent:?}: {a:?}");
            assert!(contrast(a.dark, DARK_CARD) >= 4.5, "{accent:?}: {a:?}");
            assert!(contrast(a.light_text, a.light) >= 4.5, "{accent:?}: {a:?}");
            assert!(contrast(a.dark_text, a.dark) >= 4.5, "{accent:?}: {a:?}");
            if contrast(accent, DARK_CARD) >= 4.5 {
                assert_eq!(a.dark, accent, "a readable accent is kept");
            }
            // The hue holds (near-greys excepted: rounding moves theirs).
            let chroma =
                accent.r.max(accent.g).max(accent.b) - accent.r.min(accent.g).min(accent.b);
            if let (Some(before), Some(after), true) = (hue(accent), hue(a.dark), chroma >= 51) {
                let d = (before - after).abs();
                assert!(d.min(360.0 - d) < 4.0, "{accent:?} -> {:?}", a.dark);
            }
        }
        // The demo's blue needs no change on white but is lightened for dark.
        let navy = accents(c("navy"));
        assert_eq!(navy.light, c("navy"));
        assert!(navy.dark.luminance() > c("navy").luminance());
        assert_eq!(navy.dark_text, Rgb::BLACK);
    }

    #[test]
    fn the_cards_are_the_stylesheets_backgrounds() {
        let css = include_str!("web/widget.css");
        let dark = css
            .split("@media (prefers-color-scheme: dark)")
            .nth(1)
            .expect("a dark palette");
        let bg = |block: &str| {
            let at = block.find("--bg:").expect("--bg") + "--bg:".len();
            let value = block[at..].split(';').next().unwrap_or("");
            Rgb::parse(value).unwrap()
        };
        assert_eq!(bg(css), LIGHT_CARD);
        assert_eq!(bg(dark), DARK_CARD);
    }
}
