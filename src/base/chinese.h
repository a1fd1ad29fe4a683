// Chinese renderings of the English reasons and messages fupin's checks produce, for the people
// who read them in Chinese (village workers reading an import's problem list, say).
//
// The English text stays canonical — in logs, in the API's `reason` and `message` — and the
// Chinese is added beside it (`reason_zh`, `message_zh`) by whoever shows it. Translation is by
// a catalogue of templates: an English template with `{}` holes ("must be a year from {} to
// {}") and its Chinese with numbered holes ("须为 {0} 至 {1} 之间的年份"), matched against the
// whole text; exact texts are a hash lookup. A text the catalogue does not know yields "" and
// the caller shows the English. Some reasons embed another reason (a household's number, then
// the problem): templates may use {N!} to translate a hole recursively.
// Thread-safety: pure functions over a constant catalogue.
#pragma once

#include <string>
#include <string_view>

namespace fupin {

// The Chinese of `english`, or "" when the catalogue has no template for it.
std::string ToChinese(std::string_view english);

}  // namespace fupin
