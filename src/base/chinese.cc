#include "base/chinese.h"

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fupin {
namespace {

struct Entry {
  std::string_view en;  // with {} holes
  std::string_view zh;  // with {0}, {1}, … (and {0!}: the hole translated in turn)
};

// Most specific first: the first template that matches wins.
constexpr std::array kCatalogue = {
    // Presence and types of fields.
    // Surveys (问卷调查).
    Entry{"the response is not valid", "答卷有误"},
    Entry{"the questionnaire is not valid", "问卷设计有误"},
    Entry{"a required question is not answered", "必答题未作答"},
    Entry{"this question is not asked of the respondent's group", "此题不面向该类调查对象"},
    Entry{"no question has this key", "没有此编号的题目"},
    Entry{"not a respondent group", "不是调查对象类别"},
    Entry{"this questionnaire does not ask that group", "本问卷不调查该类对象"},
    Entry{"outside the accepted range {} … {}", "超出允许范围 {0} … {1}"},
    Entry{"outside the questionnaire's region {}", "不在问卷所属地区 {0} 内"},
    Entry{"outside the regions where you collect survey responses", "不在您负责调查的地区内"},
    Entry{"no region of this name (or 12-digit code) within {}",
          "{0} 内没有此名称（或 12 位代码）的地区"},
    Entry{"{} regions within {} have this name: give the code",
          "{1} 内有 {0} 个同名地区，请填写代码"},
    Entry{"no region has this code", "没有此代码的地区"},
    Entry{"the same submission as row {}", "与第 {0} 行是同一份答卷"},
    Entry{"the respondent's region is missing", "缺少受访者所在地区"},
    Entry{"not a date or date-time", "不是日期或时间"},
    Entry{"{} problems in the file: nothing was imported", "文件中有 {0} 处问题，未导入任何数据"},
    Entry{"the file has no responses: nothing was imported", "文件中没有答卷，未导入任何数据"},
    Entry{"the column mapping does not fit the file", "列对应关系与文件不符"},
    Entry{"the file has no such column", "文件中没有此列"},
    Entry{"the required question '{}' has no column", "必答题“{0}”未对应到文件中的列"},
    Entry{"name a region column or one region", "请指定地区列，或为整个文件指定一个地区"},
    Entry{"name a respondent-group column or one group",
          "请指定调查对象列，或为整个文件指定一类调查对象"},
    Entry{"name a date column or one date", "请指定日期列，或为整个文件指定一个日期"},
    Entry{"questionnaire {} is closed: it takes no more responses",
          "问卷 {0} 已关闭，不再接收答卷"},
    Entry{"questionnaire {} has {} responses: its questions, groups and period are fixed (copy it "
          "into a new questionnaire to change them)",
          "问卷 {0} 已有 {1} 份答卷：题目、调查对象和期间不可再改（如需修改请复制为新问卷）"},
    Entry{"questionnaire {} was changed by someone else: you edited version {}, the current "
          "version is {}",
          "问卷 {0} 已被他人修改：您编辑的是第 {1} 版，当前为第 {2} 版"},
    Entry{"no questionnaire with id {}", "没有编号为 {0} 的问卷"},
    Entry{"the file is not valid base64", "文件内容不是有效的 base64 编码"},
    // Rectification (整改).
    Entry{"the rectification task is not valid", "整改任务有误"},
    Entry{"the report is not complete", "报送内容不完整"},
    Entry{"the finding is not valid", "整改事项有误"},
    Entry{"name the responsible unit (责任单位)", "请填写责任单位"},
    Entry{"name the responsible person (责任人)", "请填写责任人"},
    Entry{"in the past (today is {} in China)", "早于今天（{0}）"},
    Entry{"a submission needs its evidence (documents, figures)", "提交整改结果须附佐证材料"},
    Entry{"say why the submission is returned", "请说明退回理由"},
    Entry{"a progress report needs a note", "报送进展须填写说明"},
    Entry{"say what is to be rectified, or name a finding", "请说明整改事项，或选择一项评价发现"},
    // The indicator catalogue: declared indicators and entered statistics (指标库).
    Entry{"indicator '{}' is not well defined", "指标“{0}”定义有误"},
    Entry{"the declared indicators are not well defined", "声明的指标定义有误"},
    Entry{"indicator '{}' has {} problem(s)", "指标“{0}”有 {1} 处问题"},
    Entry{"the declaration has {} problem(s)", "指标声明有 {0} 处问题"},
    Entry{"must be 1–64 characters of a–z, 0–9 and _, starting with a letter",
          "须为 1–64 个字符，仅含小写字母 a–z、数字和下划线，以字母开头"},
    Entry{"is not a known unit", "不是已知的单位"},
    Entry{"an indicator cannot be defined by itself", "指标不能由自身定义"},
    Entry{"is not an indicator of the catalogue", "不是指标库中的指标"},
    Entry{"not an indicator of the catalogue", "不是指标库中的指标"},
    Entry{"must be a positive number", "须为正数"},
    Entry{"a derived indicator rolls up as ratio_of_sums",
          "派生指标须按分子、分母分别汇总后相除（ratio_of_sums）"},
    Entry{"ratio_of_sums needs a formula", "ratio_of_sums 汇总方式须有公式"},
    Entry{"mean_weighted needs the indicator it is weighted by", "加权平均须指定权重指标"},
    Entry{"an indicator cannot be weighted by itself", "指标不能以自身为权重"},
    Entry{"only mean_weighted indicators have a weight", "只有加权平均指标才有权重指标"},
    Entry{"surveyed indicators, and only they, are rolled up as mean_of_answers",
          "调查类指标（且仅调查类指标）按答卷平均值（mean_of_answers）汇总"},
    Entry{"declared indicators have module 'declared'", "声明的指标模块须为 declared"},
    Entry{"is the code of a built-in indicator", "是内置指标的代码"},
    Entry{"is already declared", "已声明"},
    Entry{"a declared computed indicator is defined by a formula numerator / denominator × factor "
          "over other indicators",
          "声明的计算类指标须由公式“分子 / 分母 × 系数”定义，分子、分母为其他指标"},
    Entry{"only computed indicators have a formula (entered ones take their values from the "
          "statistics entered)",
          "只有计算类指标有公式（录入类指标的数值来自录入的统计数据）"},
    Entry{"only computed indicators have a formula (surveyed ones take their values from survey "
          "answers)",
          "只有计算类指标有公式（调查类指标的数值来自问卷答案）"},
    Entry{"the formulas and weights of {} name each other in a cycle",
          "指标 {0} 的公式或权重相互引用，形成循环"},
    Entry{"indicators may not be defined in terms of each other", "指标不能相互定义"},
    Entry{"'{}' is the code of a built-in indicator", "“{0}”是内置指标的代码"},
    Entry{"indicator '{}' is already declared", "指标“{0}”已声明"},
    Entry{"'{}' is a built-in indicator: it cannot be changed (declare a new one instead)",
          "“{0}”是内置指标，不能修改（请另行声明新指标）"},
    Entry{"the source of '{}' is {}: it cannot change (declare a new indicator instead)",
          "“{0}”的数据来源为 {1}，不能更改（请另行声明新指标）"},
    Entry{"no declared indicator with code '{}'", "没有代码为“{0}”的声明指标"},
    Entry{"'{}' is a built-in indicator: it cannot be removed", "“{0}”是内置指标，不能删除"},
    Entry{"indicator '{}' is in use and cannot be removed: {}", "指标“{0}”正在使用，不能删除：{1}"},
    Entry{"indicator '{}' has {} entered value{}: they would be orphaned",
          "指标“{0}”已有 {1} 个录入数值，不能删除"},
    Entry{
        "indicator '{}' was changed by someone else: you {} version {}, the current version is {}",
        "指标“{0}”已被他人修改（您操作的是第 {2} 版，当前为第 {3} 版）"},
    Entry{"the code of an indicator cannot change", "指标代码不能修改"},
    Entry{"must be higher_better, lower_better or target_range",
          "须为 higher_better（越高越好）、lower_better（越低越好）或 target_range（区间）"},
    Entry{"must be computed, entered or surveyed",
          "须为 computed（计算）、entered（录入）或 surveyed（调查）"},
    Entry{"must be sum, ratio_of_sums, mean_weighted or mean_of_answers",
          "须为 sum、ratio_of_sums、mean_weighted 或 mean_of_answers"},
    Entry{"must be an object {numerator, denominator, factor}",
          "须为对象 {numerator, denominator, factor}"},
    Entry{"is required (the version you read)", "必填：您读取时的版本号"},
    Entry{"is outside the regions you may enter statistics for", "不在您可录入统计数据的区域内"},
    Entry{"indicator '{}' is {}, not surveyed", "指标“{0}”不是调查类指标"},
    Entry{"items is required: a list of values", "请提供 items：数值列表"},
    Entry{"a non-empty list of values", "非空的数值列表"},
    Entry{"the query of entered statistics is not valid", "统计数据查询条件有误"},
    Entry{"is not an indicator code", "不是指标代码"},
    Entry{"is {}, not entered", "不是录入类指标"},
    Entry{"is not a year YYYY", "不是年份（YYYY）"},
    // Evaluation runs, fund-efficiency DEA and reports (评价运行、资金使用效率、评价报告).
    Entry{"the run is not valid", "评价运行设置有误"},
    Entry{"the run's inputs are not valid", "评价输入有误"},
    Entry{"the indicator system is not valid", "指标体系有误"},
    Entry{"a run needs a name", "评价运行须有名称"},
    Entry{"name at least one region to evaluate", "请至少选择一个评价对象"},
    Entry{"outside the regions where you run evaluations", "不在您可开展评价的地区内"},
    Entry{"listed twice", "重复列出"},
    Entry{"{} leaf values are missing: give survey and expert counts in inputs, and enter or "
          "compute the indicators for the period",
          "缺少 {0} 个末级指标数值：请提供问卷和专家评议计数，并录入或计算该期间的指标"},
    Entry{"{} ({}) / {} ({}): no value in {}", "{0}（{1}）/ {2}（{3}）：{4} 无数值"},
    Entry{"{} ({}) / {}: no value in {}", "{0}（{1}）/ {2}：{3} 无数值"},
    Entry{"indicator system {} has no published version yet: publish it before running it",
          "指标体系 {0} 尚无发布版本：请先发布再运行评价"},
    Entry{"no evaluation run with id {}", "没有编号为 {0} 的评价运行"},
    Entry{"run {} is published and final", "评价运行 {0} 已发布，不能再修改"},
    Entry{"objective weights need at least two objects", "客观赋权至少需要两个评价对象"},
    Entry{"evaluate two or more objects, or use none", "请评价两个及以上对象，或不用客观赋权"},
    Entry{"{} values of the fund-efficiency DEA are missing: enter or compute its indicators for "
          "the period",
          "资金使用效率 DEA 缺少 {0} 个数值：请录入或计算该期间的相应指标"},
    Entry{"the fund-efficiency DEA cannot use these values", "资金使用效率 DEA 无法使用这些数值"},
    Entry{"{} ({}) / {}: {} is negative; DEA inputs must be ≥ 0",
          "{0}（{1}）/ {2}：{3} 为负数，DEA 投入须 ≥ 0"},
    Entry{"{} ({}) / {}: {} is negative; DEA outputs must be ≥ 0 (negative outputs are translated "
          "only under VRS with input orientation)",
          "{0}（{1}）/ {2}：{3} 为负数，DEA 产出须 ≥ 0（仅在可变规模报酬、投入导向下平移负产出）"},
    Entry{"{} ({}): every input is 0; DEA needs at least one positive input",
          "{0}（{1}）：各项投入均为 0，DEA 至少需要一项正投入"},
    Entry{"{} ({}): every output is 0; DEA needs at least one positive output",
          "{0}（{1}）：各项产出均为 0，DEA 至少需要一项正产出"},
    Entry{"1 to {} indicators", "1 至 {0} 个指标"},
    Entry{"used twice in the DEA", "在 DEA 中重复使用"},
    Entry{"names a catalogue indicator", "须为指标目录中的指标"},
    Entry{"no such indicator in the catalogue", "指标目录中没有此指标"},
    Entry{"one of crs, vrs, nirs", "须为 crs、vrs 或 nirs 之一"},
    Entry{"input or output", "须为 input（投入导向）或 output（产出导向）"},
    Entry{"the report cannot be made so", "无法按此生成报告"},
    Entry{"html or xlsx", "须为 html 或 xlsx"},
    Entry{"zh or en", "须为 zh 或 en"},
    Entry{"not a node of the run's system", "不是该指标体系的节点"},
    Entry{"not one of the run's objects", "不是本次评价的对象"},
    Entry{"the finding's object was not evaluated", "该问题所指的对象未参加本次评价"},
    Entry{"run {} is a draft: publish it before assigning rectification",
          "评价 {0} 尚未发布：发布后才能下达整改"},
    Entry{"only the assigning office ({}) verifies or returns task {}",
          "只有下达单位（{0}）可以验收或退回整改任务 {1}"},
    Entry{"task {} is rectified in region {}, outside your regions",
          "整改任务 {0} 由 {1} 整改，不在您的管辖范围内"},
    Entry{"task {} was changed by someone else: you reported on version {}, the current version "
          "is {}",
          "整改任务 {0} 已被他人修改：您报送时依据第 {1} 版，当前为第 {2} 版"},
    Entry{"task {} was changed by someone else: you edited version {}, the current version is {}",
          "整改任务 {0} 已被他人修改：您编辑的是第 {1} 版，当前为第 {2} 版"},
    Entry{"task {} was assigned by region {}: only that office edits it",
          "整改任务 {0} 由 {1} 下达，只有该单位可以修改"},
    Entry{"task {} is verified and closed", "整改任务 {0} 已验收销号"},
    Entry{"no rectification task with id {}", "没有编号为 {0} 的整改任务"},
    Entry{"task {} is {}: it cannot become {}", "整改任务 {0} 当前状态为 {1}，不能改为 {2}"},
    // Workshops (扶贫车间).
    Entry{"the workshop has {} problem(s)", "车间信息有 {0} 处问题"},
    Entry{"the report has {} problem(s)", "月报有 {0} 处问题"},
    Entry{"the employment has {} problem(s)", "务工信息有 {0} 处问题"},
    Entry{"the status change has {} problem(s)", "停复工记录有 {0} 处问题"},
    Entry{"the employment cannot be recorded", "无法登记务工信息"},
    Entry{"the status change cannot be recorded", "无法登记停复工"},
    Entry{"not a valid ID number", "身份证号无效"},
    Entry{"name the person to hire", "请填写务工人员的身份证号"},
    Entry{"the person is not a current member of a registered household in the workshop's county",
          "此人不是本县建档户的在册成员"},
    Entry{"workshop {} was changed by someone else: you edited version {}, the current version "
          "is {}",
          "车间 {0} 已被他人修改：您编辑的是第 {1} 版，当前为第 {2} 版"},
    Entry{"employment {} was changed by someone else: you edited version {}, the current "
          "version is {}",
          "务工记录 {0} 已被他人修改：您编辑的是第 {1} 版，当前为第 {2} 版"},
    Entry{"no workshop with id {}", "没有编号为 {0} 的车间"},
    Entry{"must be text", "须为文本"},
    Entry{"must be an object", "须为对象"},
    Entry{"is not an id", "不是有效的编号"},
    Entry{"is not a month (YYYY-MM)", "不是月份（应为 YYYY-MM）"},
    Entry{"is not a village", "不是村级区划"},
    Entry{"is before start", "早于入职日期"},
    Entry{"is outside the regions where you may register workshops", "不在您可以登记车间的区域内"},
    Entry{"is not an organization", "不是已登记的组织"},
    Entry{"is not a registered member", "不是已登记的家庭成员"},
    Entry{"is required (the version you edited)", "必填：您编辑的版本号"},
    Entry{"is required (or member_id)", "必填（或填写成员 id）"},
    Entry{"is required (a region code)", "必填（行政区划代码）"},
    Entry{"must be a month from 2013 to the current one", "须为 2013 年至本月之间的月份"},
    Entry{"must be between -180 and 180", "须在 -180 到 180 之间"},
    Entry{"must be between -90 and 90", "须在 -90 到 90 之间"},
    Entry{"must be from 0 to the headcount ({})", "须在 0 到用工人数（{0}）之间"},
    Entry{"must be from 0 to the wages paid in total ({})", "须在 0 到工资总额（{0}）之间"},
    Entry{"must be from 0 to {} (the days of the month)", "须在 0 到 {0}（当月天数）之间"},
    Entry{"give both longitude and latitude, or neither", "经度和纬度须同时填写或同时不填"},
    Entry{"a workshop suspended or closed for the month cannot have operated every day of it",
          "当月停工或关停的车间不可能整月生产"},
    Entry{"is not a current member of a registered household in the workshop's county",
          "不是本县建档户的在册成员"},
    Entry{"is before the last status change ({}, {})", "早于上一次停复工记录（{0}，{1}）"},
    Entry{"exceeds the {} worker(s) on the worker list employed in {}; record the other "
          "workers first",
          "超过务工名册 {1} 在岗人数（{0} 人），请先登记其他务工人员"},
    Entry{"exceeds the {} registered-poor worker(s) on the worker list employed in {}",
          "超过务工名册 {1} 在岗脱贫人口数（{0} 人）"},
    Entry{"overlaps the employment from {} to {} in workshop {}; accept the overlap explicitly "
          "if the person really holds both jobs",
          "与其在车间 {2} 从 {0} 到 {1} 的务工时段重叠；如确实同时务工，请勾选“时段重叠”"},
    Entry{"is required", "必填"},
    Entry{"is required (YYYY-MM-DD)", "必填（格式 YYYY-MM-DD）"},
    Entry{"is required: the member's id", "必填：成员的 id"},
    Entry{"is required (the household's version)", "必填：该户的版本号"},
    Entry{"must be a string", "须为文本"},
    Entry{"must be a number", "须为数字"},
    Entry{"must be a whole number", "须为整数"},
    Entry{"must be true or false", "须为是或否（true/false）"},
    Entry{"must be a list", "须为列表"},
    Entry{"must be a list of whole numbers", "须为整数列表"},
    Entry{"must be a date YYYY-MM-DD", "须为日期（YYYY-MM-DD）"},
    Entry{"is not a date (YYYY-MM-DD)", "不是日期（应为 YYYY-MM-DD）"},
    Entry{"is not a number", "不是数字"},
    Entry{"is not a whole number", "不是整数"},
    Entry{"is not yes or no (是/否)", "应填“是”或“否”"},
    Entry{"is not a known value", "不是可识别的取值"},
    Entry{"is not one of: {}", "不是可选值之一，可选：{0}"},
    Entry{"must not be negative", "不能为负数"},
    Entry{"must be from 0 to 12", "须在 0 到 12 之间"},
    Entry{"must be from 0 to 100", "须在 0 到 100 之间"},
    Entry{"must be between 0 and 10000 m²", "须在 0 到 10000 平方米之间"},
    Entry{"must be between 0 and 1000 km", "须在 0 到 1000 公里之间"},
    Entry{"must be a year from {} to {}", "须为 {0} 至 {1} 年之间的年份"},
    Entry{"is not a year from {} to {}", "不是 {0} 至 {1} 年之间的年份"},
    Entry{"is in the future", "晚于今天"},
    Entry{"appears twice", "重复出现"},
    Entry{"appears twice in this household", "在本户中重复出现"},
    Entry{"is before joined_on", "早于加入日期"},
    Entry{"is before start_on", "早于开始日期"},
    Entry{"is before since", "早于结对日期"},
    Entry{"is before the previous event", "早于上一条状态记录"},
    Entry{"a mobile phone number has 11 digits starting with 1",
          "手机号码应为以 1 开头的 11 位数字"},
    Entry{"a bank account number has 8 to 30 digits", "银行账号应为 8 至 30 位数字"},
    Entry{"lifting out needs its year", "脱贫须填写脱贫年度"},
    Entry{"a cancellation needs its reason", "注销须填写原因"},
    Entry{"this helper is listed twice", "该帮扶责任人重复列出"},
    Entry{"no current member is the head of household (户主)", "在册成员中没有户主"},
    Entry{"{} current members are the head of household (户主); there must be exactly one",
          "在册成员中有 {0} 名户主，只能有一名"},
    Entry{"conflicts with the ID number, which says {}", "与身份证号不符，身份证号显示为 {0}"},

    // ID numbers (GB 11643).
    Entry{"an ID number has 18 characters, this one has {}", "身份证号应为 18 位，此号码为 {0} 位"},
    Entry{"an ID number is 17 digits and a final digit or X",
          "身份证号应为 17 位数字加一位数字或 X"},
    Entry{"the birth date in the ID number (characters 7–14) is not a valid date",
          "身份证号中的出生日期（第 7–14 位）不是有效日期"},
    Entry{"the birth date in the ID number is in the future", "身份证号中的出生日期晚于今天"},
    Entry{"the check character of the ID number is wrong (GB 11643)",
          "身份证号校验码错误（GB 11643）"},
    Entry{"the ID number's region of issue is not a known region (IDs issued by abolished "
          "counties stay valid)",
          "身份证号的发证地区码不是已知行政区划（已撤销县发放的号码仍然有效）"},
    Entry{"this person is already registered in another household", "此人已登记在其他户"},
    Entry{"household {}: this person is already registered in household {}",
          "户 {0}：此人已登记在户 {1}"},

    // Regions and scope.
    Entry{"is not an open village", "不是现行的村级区划"},
    Entry{"is outside the regions where you may write", "不在您有权编辑的区域内"},
    Entry{"is outside the regions you may write to", "不在您有权编辑的区域内"},
    Entry{"is not a known region", "不是已知的行政区划"},
    Entry{"is not a village (households live in villages)", "不是村级区划（农户应登记在村）"},
    Entry{"the village was closed on {}", "该村已于 {0} 撤销"},
    Entry{"the household is registered in a region you may not write to",
          "该户登记在您无权编辑的区域"},
    Entry{"is already registered", "已被登记"},

    // Imports.
    Entry{"the required column {} ({}) is missing", "缺少必需的列 {0}（{1}）"},
    Entry{"the column {} is given twice (also as {})", "列 {0} 重复出现（另一列为 {1}）"},
    Entry{"differs from row {} of the same household {}", "与同一户 {1} 的第 {0} 行不一致"},
    Entry{"the same person is also on row {}", "同一人也出现在第 {0} 行"},
    Entry{"household {} has this year already on row {}", "户 {0} 的该年度收入已在第 {1} 行"},
    Entry{"no household with this number is registered; import its members first",
          "该户编号尚未登记，请先导入其成员"},
    Entry{"is before the year identified ({})", "早于识别年度（{0}）"},
    Entry{"the registry records lifting out in {}; a different year is recorded as a status "
          "event, not by import",
          "档案记载的脱贫年度为 {0}；更改脱贫年度应登记状态变化，不能通过导入修改"},
    Entry{"does not match the components: {} + {} + {} + {} − {} = {}",
          "与各分项不符：{0} + {1} + {2} + {3} − {4} = {5}"},
    Entry{"does not match net income / members on 31 December: {} / {} = {}",
          "与“纯收入 ÷ 12 月 31 日家庭人口”不符：{0} ÷ {1} = {2}"},
    Entry{"the household had no members on 31 December {}", "该户在 {0} 年 12 月 31 日没有成员"},
    Entry{"this person is registered in household {}; record the move as a member event there "
          "first",
          "此人登记在户 {0}；请先在该户登记迁出等人口变动"},
    Entry{"household {} ({}): {}", "户 {0}（{1}）：{2!}"},
    Entry{"was stored by Excel as a number and has lost digits; format the column as text and "
          "enter the number again",
          "被 Excel 存成了数字，末几位已丢失：请将该列设为文本格式后重新录入身份证号"},

    // Edits and membership events.
    Entry{"changes only through a membership event (member-events)", "只能通过登记人口变动修改"},
    Entry{"is not a member of this household", "不是本户成员"},
    Entry{"is not a measure of this household", "不是本户的帮扶措施"},
    Entry{"is not a helper currently paired with this household", "不是本户当前结对的帮扶责任人"},
    Entry{"has no income recorded", "没有该年度的收入记录"},
    Entry{"nothing to change", "没有要修改的内容"},
    Entry{"is not a membership event (birth, death, marriage_in, ...)",
          "不是人口变动类型（出生、死亡、婚入等）"},
    Entry{"is not a current member of household {}", "不是户 {0} 的在册成员"},
    Entry{"is not a member who stays in household {}", "不是留在户 {0} 的成员"},
    Entry{"is before {} joined the household ({})", "早于 {0} 加入该户的日期（{1}）"},
    Entry{"the head of household {} leaves: name the member who becomes head",
          "户 {0} 的户主减员：请指定新户主"},
    Entry{"the household has its head already", "该户已有户主"},
    Entry{"the receiving household has its head already", "迁入户已有户主"},
    Entry{"is not a relation to the head (户主, 配偶, 子女, ...)",
          "不是与户主关系（户主、配偶、子女等）"},
    Entry{"give the person who joins (name, ID number, relation, ...)",
          "请填写加入的人员（姓名、身份证号、与户主关系等）"},
    Entry{"a birth recorded on {} is of a person born that day",
          "{0} 登记的出生，出生日期应为当天"},
    Entry{"is not a current member of another registered household: give the person instead",
          "不是其他已登记户的在册成员：请改为填写人员信息"},
    Entry{"name the member concerned", "请选择涉及的成员"},
    Entry{"a death does not move anyone to another household", "死亡不涉及迁入其他户"},
    Entry{"is not a household you may change", "不是您有权修改的户"},
    Entry{"is this household", "不能是本户"},
    Entry{"is this household already", "不能是本户"},
    Entry{"name the members who form the new household", "请选择分出成立新户的成员"},
    Entry{"the new household needs its number", "请填写新户编号"},
    Entry{"at least one member must stay in the household", "至少要有一名成员留在本户"},
    Entry{"the new household's head must be one of the members who leave",
          "新户户主须为分出的成员之一"},
    Entry{"name the household that merges into this one", "请选择并入本户的户"},
    Entry{"households merge within one village; move the members instead",
          "合户只能在同一村内进行；跨村请登记迁移"},
    Entry{"has no current members", "没有在册成员"},
    Entry{"give the corrected ID number", "请填写正确的身份证号"},
    Entry{"this person is a member of household {}, outside the regions where you may write: "
          "that household records the move out first",
          "此人是户 {0} 的成员，该户不在您有权编辑的区域：须由该户先登记迁出"},
    Entry{"must map a member id to a relation (e.g. {\"12\": \"配偶\"})",
          "须为成员 id 到与户主关系的对应（如 {\"12\": \"配偶\"}）"},
    Entry{"household {}: {}", "户 {0}：{1!}"},

    // Messages of whole requests.
    Entry{"the household has {} problem{}", "该户有 {0} 个问题"},
    Entry{"the change has {} problem{}; nothing was saved", "修改有 {0} 个问题，未保存任何内容"},
    Entry{"the {} event cannot be recorded: {} problem{}", "无法登记该人口变动：{1} 个问题"},
    Entry{"the event cannot be recorded", "无法登记该人口变动"},
    Entry{"the edit changes nothing", "没有要修改的内容"},
    Entry{"give the version you edited", "请提供所编辑的版本号"},
    Entry{"the household has fields of the wrong type", "该户有字段类型不正确"},
    Entry{"the edit has fields of the wrong type", "修改内容有字段类型不正确"},
    Entry{"the event is incomplete or has fields of the wrong type",
          "人口变动缺少字段或有字段类型不正确"},
    Entry{"household {} was changed by someone else: you edited version {}, the current version "
          "is {}",
          "户 {0} 已被他人修改：您编辑的是第 {1} 版，当前为第 {2} 版，请刷新后重新编辑"},
    Entry{"household number {} is already registered", "户编号 {0} 已被登记"},
    Entry{"a member is already registered in another household", "有成员已登记在其他户"},
    Entry{"{} people are already registered in other households", "{0} 人已登记在其他户"},
    Entry{"no household with id {}", "没有 id 为 {0} 的户"},
    Entry{"you may not see personal data unmasked in this region",
          "您无权查看该区域的个人敏感信息明文"},
    Entry{"{}: {} problem{} found; nothing was written", "{0}：发现 {1} 个问题，未写入任何数据"},

    // Workshop alerts (workshops/alerts.cc).
    Entry{"registered-poor workers are {}% of the headcount ({} of {}), below the recognition "
          "standard of {}%",
          "建档立卡贫困劳动力占职工人数的 {0}%（{2} 人中 {1} 人），低于认定标准 {3}%"},
    Entry{"registered-poor workers are {}% of the headcount ({} of {}), below the recognition "
          "standard of {}% or {} workers",
          "建档立卡贫困劳动力占职工人数的 {0}%（{2} 人中 {1} 人），低于认定标准（占比 {3}% 或 "
          "{4} 人）"},
    Entry{"the mean monthly wage of registered-poor workers is {} yuan ({} yuan paid to {} "
          "workers), below the floor of {} yuan",
          "建档立卡贫困劳动力月均工资 {0} 元（{2} 人共 {1} 元），低于下限 {3} 元"},
    Entry{"operated fewer than {} days in each of {} consecutive months ({})",
          "连续 {1} 个月每月开工天数少于 {0} 天（{2}）"},
    Entry{"no monthly report for {} to {} ({} months)", "{0} 至 {1} 未报送月报（连续 {2} 个月）"},
    Entry{"the {} report gives no registered-poor worker; {} are employed on {} by the "
          "employment records",
          "{0} 月报显示无建档立卡贫困劳动力；按就业登记，{2} 在岗 {1} 人"},
    Entry{"no registered-poor worker is employed on {} by the employment records",
          "按就业登记，{0} 无在岗建档立卡贫困劳动力"},
    Entry{"member {} is employed here in {} but the registry lists them with {}",
          "成员 {0} 于 {1} 在本车间就业，但档案登记为{2!}"},
    Entry{"no labour capacity", "无劳动力"},
    Entry{"lost labour capacity", "丧失劳动力"},

    // Users, passwords, organizations.
    Entry{"the password has fewer than 10 characters", "密码少于 10 个字符"},
    Entry{"the password is longer than 1024 bytes", "密码超过 1024 字节"},
    Entry{"the password is one character repeated", "密码不能是同一字符的重复"},
    Entry{"the password must not be the user name", "密码不能与用户名相同"},
    Entry{"the current password is wrong", "当前密码不正确"},
    Entry{"wrong user name or password", "用户名或密码错误"},
    Entry{"a user name has 2 to 64 characters", "用户名应为 2 至 64 个字符"},
    Entry{"a user name has no spaces, control characters, ':' or '/'",
          "用户名不能含空格、控制字符、“:”或“/”"},
    Entry{"a user needs at least one role", "用户至少需要一个角色"},
    Entry{"the user is not valid", "用户信息不正确"},
    Entry{"the organization is not valid", "组织信息不正确"},
    Entry{"the {} role needs an organization", "{0} 角色需要指定所属组织"},
    Entry{"a unified social credit code has 18 characters", "统一社会信用代码应为 18 位"},
    Entry{"character {} ('{}') is not allowed in a unified social credit code",
          "统一社会信用代码的第 {0} 位（“{1}”）是不允许的字符"},
    Entry{"the check character should be '{}', not '{}'", "校验码应为“{0}”，而不是“{1}”"},
    Entry{"a token needs a name of 1 to 100 characters", "令牌名称应为 1 至 100 个字符"},

    // Workshop subsidies: rules, runs, review, payments.
    Entry{"is not a fact of a {}: {}", "不是该补贴对象（{0}）的指标，可用指标：{1}"},
    Entry{"is not a fact of a {}", "不是该补贴对象（{0}）的指标"},
    Entry{"must be one of = != < <= > >= in", "须为 = != < <= > >= in 之一"},
    Entry{"{} is a code: compare it with = != or in", "{0} 是代码，只能用 = != 或 in 比较"},
    Entry{"must be worker or workshop", "须为 worker（按人员）或 workshop（按车间）"},
    Entry{"must be a numeric fact", "须为数值型指标"},
    Entry{"bands need the fact they band", "分档须指定计量指标"},
    Entry{"is below min", "小于下限"},
    Entry{"is before valid_from", "早于起始日期"},
    Entry{"is before from", "早于起始日期"},
    Entry{"must be more than 0", "须大于 0"},
    Entry{"is taken by another rule", "已被其他规则使用"},
    Entry{"is longer than 64 characters", "超过 64 个字符"},
    Entry{"no such region", "没有这个行政区划"},
    Entry{"no such rule", "没有这条补贴规则"},
    Entry{"may hold only letters, digits and - _ .", "只能包含字母、数字和 - _ ."},
    Entry{"differs from the stored code {}", "与已保存的规则编码 {0} 不同"},
    Entry{"is required (the rule's version)", "必填：规则的版本号"},
    Entry{"is required (a rule's id)", "必填：规则的 id"},
    Entry{"is required (line ids)", "必填：明细行号"},
    Entry{"is required when rejecting", "驳回时必填"},
    Entry{"must be approved or rejected", "须为批准（approved）或驳回（rejected）"},
    Entry{"applies to region {}, which does not hold {}", "适用区域为 {0}，不包含 {1}"},
    Entry{"the period is longer than 3 years", "期间超过 3 年"},
    Entry{"is not a line of run {}", "不是第 {0} 批核定的明细"},
    Entry{"has payments ({} yuan): its decision stands", "已发放 {0} 元，审核结论不能更改"},
    Entry{"does not qualify under the rule: only qualifying lines are approved",
          "不符合规则条件：只能批准符合条件的明细"},
    Entry{"is rejected: only approved lines can be paid", "已驳回：只有审核批准的明细才能发放"},
    Entry{"is not reviewed yet: only approved lines can be paid",
          "尚未审核：只有审核批准的明细才能发放"},
    Entry{"exceeds what is left to pay: approved {}, paid {}, left {} (yuan)",
          "超出尚可发放金额：批准 {0} 元，已发放 {1} 元，尚余 {2} 元"},
    Entry{"must be json, xlsx or csv", "须为 json、xlsx 或 csv"},

    // The project library (项目库): profiles, versions, the lifecycle, progress.
    Entry{"the project has {} problem(s)", "项目信息有 {0} 处问题"},
    Entry{"the progress report has {} problem(s)", "进度报告有 {0} 处问题"},
    Entry{"the decision has {} problem(s)", "审批操作有 {0} 处问题"},
    Entry{"the milestone has {} problem(s)", "里程碑完成情况有 {0} 处问题"},
    Entry{"the measurement has {} problem(s)", "绩效指标实际值有 {0} 处问题"},
    Entry{"the decision is not known", "审批意见无法识别"},
    Entry{"the filters are not valid", "筛选条件不正确"},
    Entry{"no project with id {}", "没有编号为 {0} 的项目"},
    Entry{"project {} has no version {}", "项目 {0} 没有第 {1} 版"},
    Entry{"is not a version of the project (1 to {})", "不是该项目的版本（1 至 {0}）"},
    Entry{"project {} was changed by someone else: you acted on revision {}, the current "
          "revision is {}",
          "项目 {0} 已被他人修改：您操作的是第 {1} 次修订，当前为第 {2} 次，请刷新后重试"},
    Entry{"project {} was changed by someone else meanwhile",
          "项目 {0} 刚被他人修改，请刷新后重试"},
    Entry{"project {} is {} now, not {}", "项目 {0} 当前为“{1!}”，不是“{2!}”"},
    Entry{"a project in status {} cannot take the action {}", "项目当前为“{0!}”，不能执行“{1!}”"},
    Entry{"the action {} needs a version awaiting it; version {} is {}",
          "第 {1} 版当前为“{2!}”，不能执行“{0!}”"},
    Entry{"version {} is with the county for approval: wait for its decision before changing it",
          "第 {0} 版正在县级审批，请待审批结论后再修改"},
    Entry{"a county-level project is approved by the county directly, without a township review",
          "县级项目由县级直接审批，无需乡镇审核"},
    Entry{"the change awaiting approval (version {}) must be decided before completion",
          "待审批的变更（第 {0} 版）须先有审批结论，才能完工"},
    Entry{"every milestone needs its completion date first: {}", "以下里程碑尚未填写完成日期：{0}"},
    Entry{"milestones are completed while the project is in progress; it is {}",
          "项目实施中才能填写里程碑完成情况；项目当前为“{0!}”"},
    Entry{"targets are measured once the project is in progress; it is {}",
          "项目开工后才能填写绩效指标实际值；项目当前为“{0!}”"},
    Entry{"progress is reported while the project is in progress or completed; it is {}",
          "项目实施中或完工后才能报送进度；项目当前为“{0!}”"},
    Entry{"a return or rejection needs its reason", "退回或不予通过须说明理由"},
    Entry{"is required when returning or rejecting", "退回或不予通过时必填"},
    Entry{"{} is not an action of a project", "{0} 不是项目的操作"},
    Entry{"{} is not a decision", "{0} 不是审批操作"},
    Entry{"edit the project instead", "请改为修改项目"},
    Entry{"region {} is outside the regions where you may propose projects",
          "区划 {0} 不在您可以申报项目的区域内"},
    Entry{"is outside the regions where you may propose projects", "不在您可以申报项目的区域内"},
    Entry{"must be a village, township or county", "须为村、乡镇或县级区划"},
    Entry{"was closed on {}", "已于 {0} 撤销"},
    Entry{"needs at least one output target (quantity, quality or timeliness)",
          "至少需要一项产出指标（数量、质量或时效）"},
    Entry{"needs at least one benefit target (economic, social, ecological or sustainability)",
          "至少需要一项效益指标（经济、社会、生态或可持续影响）"},
    Entry{"needs at least one satisfaction target", "至少需要一项满意度指标"},
    Entry{"must be a finite number", "须为有限数值"},
    Entry{"needs at least one milestone", "至少需要一个里程碑"},
    Entry{"is outside the project's dates ({} to {})", "不在项目起止日期（{0} 至 {1}）之内"},
    Entry{"is before the previous milestone", "早于上一个里程碑"},
    Entry{"must be from 1 to 100", "须在 1 到 100 之间"},
    Entry{"the weights add up to {}, not 100", "各里程碑权重合计为 {0}，应为 100"},
    Entry{"is before the project's start ({})", "早于项目开工日期（{0}）"},
    Entry{"is not a registered household", "不是已登记的农户"},
    Entry{"lives outside the project's county", "不在项目所在县"},
    Entry{"is required for a change to an approved project", "已批准项目申请变更时必填"},
    Entry{"cannot change once the project is approved (it is {})",
          "项目批准后不能更改（现为 {0}）"},
    Entry{"is required (who maintains it: 谁受益谁管护)", "必填：管护主体（谁受益谁管护）"},
    Entry{"is not a milestone of the project", "不是该项目的里程碑"},
    Entry{"is not a target of the project", "不是该项目的绩效指标"},
    // Statuses, stages and actions, for the messages above ({N!}).
    Entry{"proposed", "已申报"},
    Entry{"reviewed", "乡镇已审核"},
    Entry{"approved", "已批准"},
    Entry{"in_progress", "实施中"},
    Entry{"completed", "已完工"},
    Entry{"accepted", "已验收"},
    Entry{"maintenance", "后续管护"},
    Entry{"returned", "已退回"},
    Entry{"rejected", "未通过"},
    Entry{"edit", "修改申报"},
    Entry{"resubmit", "重新申报"},
    Entry{"change", "申请变更"},
    Entry{"review", "乡镇审核通过"},
    Entry{"review_return", "乡镇审核退回"},
    Entry{"review_reject", "乡镇审核不通过"},
    Entry{"approve", "县级审批通过"},
    Entry{"approve_return", "县级审批退回"},
    Entry{"approve_reject", "县级审批不予批准"},
    Entry{"start", "开工"},
    Entry{"complete", "完工"},
    Entry{"accept", "验收通过"},
    Entry{"accept_return", "验收整改"},
    Entry{"maintain", "移交管护"},

    // Files.
    Entry{"the file is empty: no header row", "文件为空：没有表头行"},
    Entry{"the file is UTF-16; save it as UTF-8 or GB18030 (GBK) text",
          "文件为 UTF-16 编码；请另存为 UTF-8 或 GB18030（GBK）文本"},
    Entry{"byte {} is NUL: the file is binary or UTF-16, not text",
          "第 {0} 字节为 NUL：文件是二进制或 UTF-16，不是文本"},
    Entry{"the file starts with a UTF-8 byte-order mark but byte {} is not UTF-8",
          "文件以 UTF-8 BOM 开头，但第 {0} 字节不是 UTF-8"},
    Entry{"line {}: a quoted field is never closed", "第 {0} 行：引号内的字段没有结束"},
    Entry{"the workbook has no worksheet", "工作簿中没有工作表"},
    Entry{"{} {}: {} has a value but the header has only {} columns",
          "{0} {1}：{2} 有值，但表头只有 {3} 列"},
    Entry{"a value beyond the last column", "超出最后一列的值"},
};

std::vector<std::string_view> Literals(std::string_view t) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t hole = t.find("{}", start);
    if (hole == std::string_view::npos) {
      parts.push_back(t.substr(start));
      return parts;
    }
    parts.push_back(t.substr(start, hole - start));
    start = hole + 2;
  }
}

// The holes' values when `text` matches template `t` (leftmost match of each literal).
std::optional<std::vector<std::string_view>> Match(std::string_view t, std::string_view text) {
  const std::vector<std::string_view> parts = Literals(t);
  if (!text.starts_with(parts.front())) return std::nullopt;
  if (parts.size() == 1) {
    if (text.size() != parts.front().size()) return std::nullopt;
    return std::vector<std::string_view>{};
  }
  if (!text.ends_with(parts.back())) return std::nullopt;
  const size_t end = text.size() - parts.back().size();
  std::vector<std::string_view> holes;
  size_t pos = parts.front().size();
  for (size_t i = 1; i + 1 < parts.size(); ++i) {
    const size_t at = text.find(parts[i], pos);
    if (at == std::string_view::npos || at > end) return std::nullopt;
    holes.push_back(text.substr(pos, at - pos));
    pos = at + parts[i].size();
  }
  if (pos > end) return std::nullopt;
  holes.push_back(text.substr(pos, end - pos));
  return holes;
}

std::string Fill(std::string_view zh, const std::vector<std::string_view>& holes) {
  std::string out;
  for (size_t i = 0; i < zh.size(); ++i) {
    if (zh[i] == '{' && i + 2 < zh.size() && zh[i + 1] >= '0' && zh[i + 1] <= '9') {
      const size_t close = zh.find('}', i);
      if (close != std::string_view::npos && close <= i + 3) {
        const size_t k = static_cast<size_t>(zh[i + 1] - '0');
        const bool nested = zh[i + 2] == '!';
        if (k < holes.size()) {
          std::string value(holes[k]);
          if (nested) {
            std::string translated = ToChinese(value);
            if (!translated.empty()) value = std::move(translated);
          }
          out += value;
          i = close;
          continue;
        }
      }
    }
    out += zh[i];
  }
  return out;
}

}  // namespace

std::string ToChinese(std::string_view english) {
  static const auto* exact = [] {
    auto* map = new std::unordered_map<std::string_view, std::string_view>();
    for (const Entry& e : kCatalogue) {
      if (e.en.find("{}") == std::string_view::npos) map->emplace(e.en, e.zh);
    }
    return map;
  }();
  if (auto it = exact->find(english); it != exact->end()) return std::string(it->second);
  for (const Entry& e : kCatalogue) {
    if (e.en.find("{}") == std::string_view::npos) continue;
    if (auto holes = Match(e.en, english)) return Fill(e.zh, *holes);
  }
  return "";
}

}  // namespace fupin
